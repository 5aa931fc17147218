import { DEFAULT_MOCK_MODELS } from '../provider/model-table.ts';
import { MOCK_HEADERS } from '../provider/protocol.ts';
import type { FeatureName } from './features/feature.ts';
import type { Tenant } from './traffic.ts';
import { TENANTS } from './traffic.ts';

export const INCIDENT_NAMES = [
  'latency_spike',
  'rate_limit_storm',
  'runaway_tenant',
  'quality_drop',
  'silent_service',
] as const;
export type IncidentName = (typeof INCIDENT_NAMES)[number];

/** The model whose answers get worse in a quality drop. */
const QUALITY_DROP_MODEL = 'gpt-4o-mini';
/** How far the mean helpfulness of that model falls, from about 0.82 to 0.47. */
const QUALITY_DROP_SHIFT = -0.35;

/** The changes an incident makes to live traffic. Backfill always runs without an incident. */
export interface IncidentEffects {
  description: string;
  tenants: readonly Tenant[];
  /** Features whose requests are not sent at all. */
  silencedFeatures: readonly FeatureName[];
  headersFor(model: string): Record<string, string>;
  /** Added to the mean helpfulness score of the model's chat answers. */
  qualityShiftFor(model: string): number;
}

const NO_INCIDENT: IncidentEffects = {
  description: 'no incident',
  tenants: TENANTS,
  silencedFeatures: [],
  headersFor: () => ({}),
  qualityShiftFor: () => 0,
};

export function incidentEffects(incident: IncidentName | null): IncidentEffects {
  switch (incident) {
    case 'latency_spike':
      return {
        ...NO_INCIDENT,
        description: 'gpt-4o latency is 6 times its usual value',
        headersFor: (model): Record<string, string> =>
          model === 'gpt-4o' ? { [MOCK_HEADERS.latencyFactor]: '6' } : {},
      };
    case 'rate_limit_storm':
      return {
        ...NO_INCIDENT,
        description: '40% of calls to OpenAI models get 429 rate-limit errors',
        headersFor: (model): Record<string, string> =>
          isOpenAiModel(model) ? { [MOCK_HEADERS.rateLimitProbability]: '0.4' } : {},
      };
    case 'runaway_tenant':
      return {
        ...NO_INCIDENT,
        description: 'stark-industries sends 20 times its usual traffic, all to the support agent',
        tenants: TENANTS.map((tenant) =>
          tenant.id === 'stark-industries'
            ? { ...tenant, weight: tenant.weight * 20, featureMix: [['support-agent', 1]] }
            : tenant,
        ),
      };
    case 'silent_service':
      return {
        ...NO_INCIDENT,
        description: 'batch-summarizer stops sending telemetry',
        silencedFeatures: ['summarize'],
      };
    case 'quality_drop':
      return {
        ...NO_INCIDENT,
        description: `mean helpfulness of ${QUALITY_DROP_MODEL} answers falls from 0.82 to 0.47`,
        qualityShiftFor: (model): number => (model === QUALITY_DROP_MODEL ? QUALITY_DROP_SHIFT : 0),
      };
    case null:
      return NO_INCIDENT;
  }
}

function isOpenAiModel(model: string): boolean {
  return DEFAULT_MOCK_MODELS.some((entry) => entry.name === model && entry.provider === 'openai');
}
