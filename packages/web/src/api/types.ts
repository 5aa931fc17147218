/** Response shapes of the Foghorn query API, as the server sends them. */

export interface LatencyPercentilesMs {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface TokenCounts {
  input: number;
  output: number;
  cachedInput: number;
  cacheWrite: number;
  reasoning: number;
}

/** The measures shared by a summary group and a time-series bucket. */
export interface LlmMeasures {
  requests: number;
  errors: number;
  latencyMs: LatencyPercentilesMs;
  tokens: TokenCounts;
  /** Cost of the priced calls; null when every call in the group or bucket is unpriced. */
  costUsd: number | null;
  unpricedRequests: number;
}

export interface SummaryGroup extends LlmMeasures {
  key: string | null;
}

export interface SummaryResponse {
  from: string;
  to: string;
  groupBy: string;
  groups: SummaryGroup[];
}

export interface TimeseriesPoint extends LlmMeasures {
  /** Bucket start in Unix milliseconds. */
  t: number;
}

export interface TimeseriesSeries {
  key: string | null;
  points: TimeseriesPoint[];
}

export interface TimeseriesResponse {
  from: string;
  to: string;
  groupBy: string;
  stepMs: number;
  series: TimeseriesSeries[];
}

export interface CostResponse {
  from: string;
  to: string;
  totalCostUsd: number;
  unpricedRequests: number;
  hourlyCostUsd: number;
  projectedMonthlyCostUsd: number;
  method: string;
}

export interface DimensionsResponse {
  services: string[];
  environments: string[];
  models: string[];
  providers: string[];
  tenants: string[];
  features: string[];
}

/** OTLP/HTTP addresses that applications send spans to, shown in the empty state. */
export interface IngestInfo {
  otlpTracesUrl: string;
  otlpEndpoint: string;
}

export type GroupBy =
  | 'model'
  | 'responseModel'
  | 'provider'
  | 'tenant'
  | 'feature'
  | 'service'
  | 'operation'
  | 'errorType';
