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

/** Stage and aliases of a registered model version, on groups by `registeredModel`. */
export interface RegistryLabel {
  stage: string;
  aliases: string[];
}

export interface SummaryGroup extends LlmMeasures {
  key: string | null;
  /** Set on groups by `registeredModel`; null when the registry has no such version. */
  registry?: RegistryLabel | null;
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
  /** Set on series by `registeredModel`; null when the registry has no such version. */
  registry?: RegistryLabel | null;
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
  /** The window's run rate: priced cost per elapsed hour. */
  hourlyCostUsd: number;
  /** The run rate times 720 hours; servers before this field was added leave it out. */
  runRateMonthlyCostUsd?: number;
  /** The calendar-month projection made at the window's end. */
  projectedMonthlyCostUsd: number;
  method: string;
}

/** One group of `/api/v1/llm/cost/projection`. */
export interface CostProjectionGroup {
  key: string | null;
  monthToDateCostUsd: number;
  trailingCostUsd: number;
  monthToDateRequests: number;
  trailingRequests: number;
  /** Cost per hour over the trailing hours. */
  hourlyCostUsd: number;
  projectedMonthlyCostUsd: number;
  unpricedRequests: number;
  budgetUsd: number | null;
  projectedBudgetRatio: number | null;
}

export interface CostProjectionResponse {
  asOf: string;
  monthStart: string;
  monthEnd: string;
  trailingHours: number;
  remainingHours: number;
  method: string;
  total: CostProjectionGroup;
  groups: CostProjectionGroup[];
}

export interface DimensionsResponse {
  services: string[];
  environments: string[];
  models: string[];
  providers: string[];
  tenants: string[];
  features: string[];
  /** Registered model versions as `<name>/<version>`. */
  registeredModels: string[];
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
  | 'errorType'
  | 'registeredModel';

/** Alarm state of a panel as `/api/v1/panels` reports it; `inactive` is shown as quiet. */
export type PanelAlarmState = 'inactive' | 'pending' | 'firing';

export interface PanelAlarm {
  state: PanelAlarmState;
  ruleIds: string[];
  firingRuleIds: string[];
  pendingRuleIds: string[];
}

export interface PanelsResponse {
  panels: { id: string; title: string; alarm: PanelAlarm }[];
}

/** One alert rule as `/api/v1/alerts/rules` lists it; fields follow the rule file. */
export interface AlertRule {
  id: string;
  panel: string;
  kind: string;
  expr: string;
  comparator: string;
  threshold?: number;
  resolve_threshold?: number;
  for: string;
  keep_firing_for?: string;
  group_by?: string[];
  min_requests?: number;
  severity: string;
  slo?: { objective: number; windows: string };
  baseline?: { over: string; compare: string };
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  route?: string;
  project?: string;
  /** `file` for rules of a YAML file (read-only through the API), `api` for rules saved through it. */
  origin?: { kind: string; path?: string };
}

/** One state change of an alert instance, from `/api/v1/alerts/history`. */
export interface AlertHistoryEntry {
  ruleId: string;
  fingerprint: string;
  labels: Record<string, string>;
  fromState: string;
  toState: string;
  atMs: number;
  /** RFC 3339 form of `atMs`. */
  at: string;
  value: number;
  threshold: number;
}

export interface AlertHistoryResponse {
  from: string;
  to: string;
  history: AlertHistoryEntry[];
}

export interface SilenceMatcher {
  name: string;
  operator: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
  state: 'pending' | 'active' | 'expired';
}

export interface SilencesResponse {
  silences: Silence[];
}

export interface RulesResponse {
  rules: AlertRule[];
}

export interface BudgetsResponse {
  /** Monthly budget in USD by tenant. */
  tenants: Record<string, number>;
}

export interface ScoreAggregate {
  key: string | null;
  name: string;
  count: number;
  mean: number | null;
  stddev: number | null;
  categories: Record<string, number>;
}

export interface ScoreSummaryResponse {
  groups: ScoreAggregate[];
}

export interface ScoreTimeseriesResponse {
  from: string;
  to: string;
  stepMs: number;
  series: { key: string | null; name: string; points: (ScoreAggregate & { t: number })[] }[];
}

export interface InflightResponse {
  from: string;
  to: string;
  stepMs: number;
  /** `metric`: from `gen_ai.requests.active`; `spans`: average concurrency of call spans. */
  source: 'metric' | 'spans';
  points: { t: number; inflight: number }[];
}

export interface TtftResponse {
  from: string;
  to: string;
  stepMs: number;
  series: {
    key: string | null;
    points: { t: number; requests: number; p50: number | null; p95: number | null }[];
  }[];
}

export interface TraceListItem {
  traceId: string;
  rootName: string | null;
  serviceName: string | null;
  startTimeUnixMs: number;
  durationMs: number;
  spanCount: number;
  llmCallCount: number;
  errorCount: number;
  costUsd: number | null;
  inputTokens: number;
  outputTokens: number;
}

export interface TraceListResponse {
  traces: TraceListItem[];
}

/** An attribute value as the server stores it. */
export type AttributeValue =
  string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export interface SpanLogRecord {
  timeUnixNano: string;
  severityText?: string | null;
  eventName?: string | null;
  body?: AttributeValue;
  attributes?: Record<string, AttributeValue>;
  spanId?: string | null;
}

/** A canonical span as `/api/v1/traces/{id}` returns it; nanosecond times are strings. */
export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  spanKind: string;
  serviceName: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  statusCode: string;
  statusMessage: string | null;
  errorType: string | null;
  dialect: string;
  operation: string;
  spanType: string;
  isLlmCall: boolean;
  provider: string | null;
  requestModel: string | null;
  responseModel: string | null;
  model: string | null;
  usage: {
    inputTokens: number;
    outputTokens: number;
    cachedInputTokens: number;
    cacheWriteTokens: number;
    reasoningTokens: number;
  };
  cost: {
    totalUsd: number | null;
    inputUsd: number | null;
    outputUsd: number | null;
    cacheReadUsd: number | null;
    cacheWriteUsd: number | null;
    priceModel: string | null;
    priceTableVersion: string | null;
    pricesUsdPerMTok?: Record<string, number | null> | null;
  };
  timeToFirstTokenMs: number | null;
  tenant: string | null;
  userId: string | null;
  sessionId: string | null;
  feature: string | null;
  environment: string | null;
  attributes: Record<string, AttributeValue>;
  resourceAttributes: Record<string, AttributeValue>;
  events: { timeUnixNano: string; name: string; attributes: Record<string, AttributeValue> }[];
  logs?: SpanLogRecord[];
}

export interface TraceResponse {
  traceId: string;
  spans: TraceSpan[];
  logs?: SpanLogRecord[];
}
