import { createRandom } from '../random.ts';
import type { RequestClock } from './clock.ts';
import type { CorpusIndex } from './corpus.ts';
import type { FeatureDeps, FeatureName } from './features/feature.ts';
import { runChat } from './features/chat.ts';
import { runRagSearch } from './features/rag-search.ts';
import { runSummarize } from './features/summarize.ts';
import { runSupportAgent } from './features/support-agent.ts';
import type { IncidentEffects } from './incidents.ts';
import type { LlmGateway } from './llm-gateway.ts';
import { ModelCallError } from './llm-gateway.ts';
import type { Dialect, RequestScope } from './request-scope.ts';
import type { StatsRecorder } from './stats.ts';
import type { ServiceName, Telemetry } from './telemetry.ts';
import type { PlannedRequest } from './traffic.ts';

/** Distinct unexpected error messages logged per run; later ones are dropped. */
const MAX_LOGGED_ERROR_MESSAGES = 20;

interface FeatureEntry {
  service: ServiceName;
  dialect: Dialect;
  run(scope: RequestScope, deps: FeatureDeps): Promise<void>;
}

/** The service and dialect of each feature; batch-summarizer is the legacy-dialect service. */
export const FEATURES: Readonly<Record<FeatureName, FeatureEntry>> = Object.freeze({
  chat: { service: 'support-web', dialect: 'current', run: runChat },
  'rag-search': { service: 'search-api', dialect: 'current', run: runRagSearch },
  'support-agent': { service: 'support-web', dialect: 'current', run: runSupportAgent },
  summarize: { service: 'batch-summarizer', dialect: 'legacy', run: runSummarize },
});

export interface RunnerDeps {
  telemetry: Telemetry;
  gateway: LlmGateway;
  corpus: CorpusIndex;
  stats: StatsRecorder;
  log: (line: string) => void;
}

export type RunRequest = (
  planned: PlannedRequest,
  clock: RequestClock,
  effects: IncidentEffects,
  signal?: AbortSignal,
) => Promise<void>;

/**
 * Creates the function that runs one planned request. A failed model call
 * ends the request, as it would in a real application. Other errors never
 * stop the demo, and each distinct message is logged once, up to 20 messages.
 */
export function createRequestRunner(deps: RunnerDeps): RunRequest {
  const loggedErrors = new Set<string>();
  return async (planned, clock, effects, signal) => {
    const feature = FEATURES[planned.feature];
    const scope: RequestScope = {
      tracer: deps.telemetry.tracer(feature.service),
      clock,
      random: createRandom(planned.seed),
      gateway: deps.gateway,
      dialect: feature.dialect,
      attribution: {
        'tenant.id': planned.tenantId,
        'feature.name': planned.feature,
        'user.id': planned.userId,
        'session.id': planned.sessionId,
      },
      requestKey: planned.key,
      callCount: 0,
      incidentHeaders: (model) => effects.headersFor(model),
      qualityShift: (model) => effects.qualityShiftFor(model),
      recordCall: (outcome) => deps.stats.recordCall(outcome),
      ...(signal === undefined ? {} : { signal }),
    };
    deps.stats.recordTrace(clock.simulated);
    try {
      await feature.run(scope, { corpus: deps.corpus });
    } catch (error) {
      handleRequestError(error, deps, loggedErrors, planned);
    }
  };
}

function handleRequestError(
  error: unknown,
  deps: RunnerDeps,
  loggedErrors: Set<string>,
  planned: PlannedRequest,
): void {
  if (error instanceof ModelCallError) {
    if (error.errorType === 'cancelled') deps.stats.recordCancelled();
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (loggedErrors.has(message) || loggedErrors.size >= MAX_LOGGED_ERROR_MESSAGES) return;
  loggedErrors.add(message);
  deps.log(`demo request ${planned.key} (${planned.feature}) failed unexpectedly: ${message}`);
}
