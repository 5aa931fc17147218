import type { DuckDBConnection } from '@duckdb/node-api';

/** Spans per trace: one agent root and three LLM calls under it. */
export const SPANS_PER_TRACE = 4;

const MODELS = [
  ['gpt-4o', 'openai'],
  ['gpt-4o-mini', 'openai'],
  ['o3-mini', 'openai'],
  ['text-embedding-3-small', 'openai'],
  ['claude-3-5-sonnet', 'anthropic'],
  ['claude-3-5-haiku', 'anthropic'],
  ['gemini-2.0-flash', 'google'],
  ['llama-3.1-70b', 'groq'],
];
const FEATURES = ['search', 'chat', 'summarize', 'agent', 'classify', 'extract'];
/** The two models each feature calls, in FEATURES order; a feature sticks to its models as real apps do. */
const FEATURE_MODEL_INDEXES = [3, 1, 0, 1, 5, 6, 4, 2, 1, 7, 6, 0];
const SERVICES = ['api', 'worker', 'search-api', 'chat-api'];
const ERROR_TYPES = ['rate_limit', 'timeout', 'server_error', 'client_error'];
const TENANTS = Array.from(
  { length: 50 },
  (_, index) => `tenant-${String(index).padStart(2, '0')}`,
);

function listLiteral(values: readonly string[]): string {
  return `[${values.map((value) => `'${value}'`).join(', ')}]`;
}

function listLiteralNumbers(values: readonly number[]): string {
  return `[${values.join(', ')}]`;
}

/** SQL: a uniform number in [0, 1) derived from the row number and a salt, so runs repeat. */
function uniform(salt: number): string {
  return `((hash(i * ${salt} + ${salt}) % 1000000) / 1000000.0)`;
}

/**
 * Inserts `count` spans starting at `startNs`, evenly spread over `spanSpacingNs`, in one
 * `INSERT ... SELECT FROM range()`. Each trace belongs to one tenant (50, a few large
 * ones), one feature and its service; each call picks one of its feature's two models.
 * 2 % of calls fail and durations have a long tail, like a busy multi-tenant app.
 */
export async function insertSyntheticSpans(
  connection: DuckDBConnection,
  firstIndex: number,
  count: number,
  startNs: bigint,
  spanSpacingNs: bigint,
  table = 'spans',
): Promise<void> {
  const models = listLiteral(MODELS.map(([model]) => model!));
  const providers = listLiteral(MODELS.map(([, provider]) => provider!));
  const isRoot = `(i % ${SPANS_PER_TRACE} = 0)`;
  const traceIndex = `(i // ${SPANS_PER_TRACE})`;
  const featureIndex = `CAST(hash(${traceIndex} * 31) % ${FEATURES.length} AS INTEGER)`;
  const modelIndex = `${listLiteralNumbers(FEATURE_MODEL_INDEXES.map((index) => index + 1))}[1 + ${featureIndex} * 2 + CAST(hash(i * 3) % 2 AS INTEGER)]`;
  const durationMs = `(20 + 30000 * pow(${uniform(5)}, 4))`;
  const failed = `(${uniform(11)} < 0.02)`;
  await connection.run(`INSERT INTO ${table} (
      trace_id, span_id, parent_span_id, name, span_kind, service_name, scope_name, start_ns, end_ns,
      duration_ms, status_code, status_message, error_type, dialect, operation, span_type, is_llm_call,
      provider, request_model, response_model, model, input_tokens, output_tokens, cached_input_tokens,
      cache_write_tokens, reasoning_tokens, cost_usd, cost_input_usd, cost_output_usd, cost_cache_read_usd,
      cost_cache_write_usd, price_model, price_table_version, ttft_ms, tenant, user_id, session_id, feature,
      environment, attributes, resource_attributes, events, ingest_issues)
    SELECT
      md5(${traceIndex}::VARCHAR),
      substr(md5(i::VARCHAR || 's'), 1, 16),
      CASE WHEN ${isRoot} THEN NULL ELSE substr(md5((i - i % ${SPANS_PER_TRACE})::VARCHAR || 's'), 1, 16) END,
      CASE WHEN ${isRoot} THEN 'invoke_agent planner' ELSE 'chat ' || ${models}[${modelIndex}] END,
      CASE WHEN ${isRoot} THEN 'internal' ELSE 'client' END,
      ${listLiteral(SERVICES)}[1 + ${featureIndex} % ${SERVICES.length}],
      'bench',
      ${startNs}::BIGINT + i::BIGINT * ${spanSpacingNs}::BIGINT,
      ${startNs}::BIGINT + i::BIGINT * ${spanSpacingNs}::BIGINT + CAST(${durationMs} * 1000000 AS BIGINT),
      ${durationMs},
      CASE WHEN NOT ${isRoot} AND ${failed} THEN 'error' ELSE 'unset' END,
      NULL,
      CASE WHEN NOT ${isRoot} AND ${failed} THEN ${listLiteral(ERROR_TYPES)}[CAST(1 + hash(i * 17) % ${ERROR_TYPES.length} AS INTEGER)] END,
      'otel_genai',
      CASE WHEN ${isRoot} THEN 'invoke_agent' ELSE 'chat' END,
      CASE WHEN ${isRoot} THEN 'agent' ELSE 'llm' END,
      NOT ${isRoot},
      CASE WHEN NOT ${isRoot} THEN ${providers}[${modelIndex}] END,
      CASE WHEN NOT ${isRoot} THEN ${models}[${modelIndex}] END,
      CASE WHEN NOT ${isRoot} THEN ${models}[${modelIndex}] END,
      CASE WHEN NOT ${isRoot} THEN ${models}[${modelIndex}] END,
      CASE WHEN ${isRoot} THEN 0 ELSE CAST(100 + 4000 * ${uniform(7)} AS BIGINT) END,
      CASE WHEN ${isRoot} THEN 0 ELSE CAST(10 + 800 * ${uniform(9)} AS BIGINT) END,
      0, 0, 0,
      CASE WHEN ${isRoot} OR ${modelIndex} = 8 THEN NULL ELSE 0.00001 + 0.02 * ${uniform(7)} END,
      NULL, NULL, NULL, NULL,
      CASE WHEN NOT ${isRoot} AND ${modelIndex} <> 8 THEN 'bench/' || ${models}[${modelIndex}] END,
      'bench',
      CASE WHEN NOT ${isRoot} AND ${uniform(19)} < 0.35 THEN 100 + 900 * ${uniform(23)} END,
      ${listLiteral(TENANTS)}[1 + CAST(${TENANTS.length} * pow((hash(${traceIndex} * 29) % 1000000) / 1000000.0, 2.5) AS INTEGER) % ${TENANTS.length}],
      NULL, NULL,
      ${listLiteral(FEATURES)}[1 + ${featureIndex}],
      CASE WHEN hash(${traceIndex} * 37) % 10 = 0 THEN 'staging' ELSE 'production' END,
      '{"bench":true}', '{"service.name":"bench"}', '[]', NULL
    FROM range(${firstIndex}, ${firstIndex + count}) AS t(i)`);
}

/** Spans inserted per statement by `insertSpansOverWindow`. */
const WINDOW_INSERT_CHUNK = 1_000_000;

/**
 * Inserts `spans` spans evenly spread from `startMs` to `endMs`, a million per statement,
 * and calls `onChunk` with the count inserted so far after each statement.
 */
export async function insertSpansOverWindow(
  connection: DuckDBConnection,
  spans: number,
  startMs: number,
  endMs: number,
  onChunk: (inserted: number) => void = () => undefined,
): Promise<void> {
  const spacingNs = BigInt(Math.floor(((endMs - startMs) * 1e6) / spans));
  for (let first = 0; first < spans; first += WINDOW_INSERT_CHUNK) {
    const count = Math.min(WINDOW_INSERT_CHUNK, spans - first);
    await insertSyntheticSpans(connection, first, count, BigInt(startMs) * 1_000_000n, spacingNs);
    onChunk(first + count);
  }
}
