import { prometheusMetricName } from './prometheus-names.ts';

/** Prometheus names of the span-derived metrics, translated from their OTel names and units. */
export const LLM_METRIC_NAMES = Object.freeze({
  duration: prometheusMetricName('gen_ai.client.operation.duration', 's', 'histogram'),
  timeToFirstToken: prometheusMetricName('gen_ai.server.time_to_first_token', 's', 'histogram'),
  requests: prometheusMetricName('foghorn.llm.requests', '{request}', 'counter'),
  errors: prometheusMetricName('foghorn.llm.errors', '{request}', 'counter'),
  tokens: prometheusMetricName('foghorn.llm.tokens', '{token}', 'counter'),
  tokenDetails: prometheusMetricName('foghorn.llm.token.details', '{token}', 'counter'),
  cost: prometheusMetricName('foghorn.llm.cost.usd', '{USD}', 'counter'),
  unpricedRequests: prometheusMetricName('foghorn.llm.unpriced.requests', '{request}', 'counter'),
  activeRequests: prometheusMetricName(
    'foghorn.llm.requests.active',
    '{request}',
    'updown_counter',
  ),
});

/** Label names of the span-derived metrics. */
export const LLM_LABELS = Object.freeze({
  /** The Foghorn project that received the span; every span-derived series has it. */
  project: 'project',
  service: 'service',
  provider: 'provider',
  model: 'model',
  tenant: 'tenant_id',
  feature: 'feature',
  errorType: 'error_type',
  tokenType: 'token_type',
});
