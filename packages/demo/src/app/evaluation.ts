import type { Attributes } from '@opentelemetry/api';

/** The event name the OTel GenAI conventions give an evaluation result. */
export const EVALUATION_EVENT = 'gen_ai.evaluation.result';

/** Mean helpfulness of a healthy response, and the spread around it. */
const HEALTHY_MEAN = 0.82;
const SPREAD = 0.12;
/** Below this helpfulness, the demo's judge calls the response `bad`. */
const BAD_BELOW = 0.6;

/**
 * A deterministic judge of one chat response: the same request key gives the same
 * score, so seeded runs stay reproducible without drawing from the traffic's random
 * sequence. `meanShift` lowers the mean during a quality incident.
 */
export function judgeAnswer(requestKey: string, meanShift: number): Attributes[] {
  const unit = unitHash(requestKey);
  const raw = HEALTHY_MEAN + meanShift + (unit * 2 - 1) * SPREAD;
  const helpfulness = Math.round(Math.min(1, Math.max(0, raw)) * 1000) / 1000;
  return [
    {
      'gen_ai.evaluation.name': 'helpfulness',
      'gen_ai.evaluation.score.value': helpfulness,
    },
    {
      'gen_ai.evaluation.name': 'verdict',
      'gen_ai.evaluation.score.label': helpfulness < BAD_BELOW ? 'bad' : 'good',
    },
  ];
}

/** FNV-1a over the key, mapped to [0, 1). */
function unitHash(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 4294967296;
}
