import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readNumber, readString } from './attributes.ts';
import type { DialectFields, ReaderInput } from './dialect-fields.ts';
import { operationFromName } from './operation.ts';
import { normalizeProvider } from './provider.ts';
import { fillUsage, OTEL_GENAI_USAGE_KEYS } from './usage-keys.ts';

/** Kept here too for callers that imported it from this file before `provider.ts` existed. */
export { normalizeProvider } from './provider.ts';

/** The event of v1.37+ that may carry every inference attribute instead of the span. */
const DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

/**
 * Time-to-first-chunk attributes in seconds: the v1.41 span attribute, the metric
 * names that the AI SDK 7 OTel integration also sets as span attributes (the
 * `inference` one is the GenAI conventions 0.1.0 rename), and OpenLIT's use of the
 * server metric name.
 */
const TTFT_SECONDS_KEYS = [
  'gen_ai.response.time_to_first_chunk',
  'gen_ai.client.operation.time_to_first_chunk',
  'gen_ai.client.inference.time_to_first_chunk',
  'gen_ai.server.time_to_first_token',
];

/** True when the span uses an attribute of the OTel GenAI conventions, old or new. */
export function isOtelGenAi(attributes: Attributes): boolean {
  return (
    'gen_ai.operation.name' in attributes ||
    'gen_ai.provider.name' in attributes ||
    'gen_ai.system' in attributes ||
    'gen_ai.request.model' in attributes ||
    'gen_ai.response.model' in attributes ||
    'gen_ai.usage.input_tokens' in attributes ||
    'gen_ai.usage.prompt_tokens' in attributes ||
    'gen_ai.tool.name' in attributes ||
    'gen_ai.agent.name' in attributes
  );
}

/** True for the shape before v1.37: `gen_ai.system` or v1.26 token names, no `gen_ai.provider.name`. */
export function isLegacyOtelGenAi(attributes: Attributes): boolean {
  return (
    !('gen_ai.provider.name' in attributes) &&
    ('gen_ai.system' in attributes || 'gen_ai.usage.prompt_tokens' in attributes)
  );
}

/**
 * Reads the OTel GenAI conventions v1.26 to v1.41 and the GenAI conventions 0.1.0:
 * `gen_ai.system` became `gen_ai.provider.name` (v1.37), `prompt_tokens` and
 * `completion_tokens` became `input_tokens` and `output_tokens` (v1.28), and
 * `cache_creation` became `cache_write` (0.1.0). When the span itself lacks
 * model or usage, the details event of v1.37+ fills them.
 */
export function readOtelGenAi(input: ReaderInput, fields: DialectFields): void {
  const { attributes } = input;
  fields.operation ??= operationFromName(readString(attributes, ['gen_ai.operation.name']));
  fields.operation ??= inferOperation(attributes);
  fields.provider ??= normalizeProvider(
    readString(attributes, ['gen_ai.provider.name', 'gen_ai.system']),
  );
  fields.requestModel ??= readString(attributes, ['gen_ai.request.model']);
  fields.responseModel ??= readString(attributes, ['gen_ai.response.model']);
  fillUsage(attributes, OTEL_GENAI_USAGE_KEYS, fields.usage);
  fields.errorType ??= readString(attributes, ['error.type']);

  if (fields.timeToFirstTokenMs === null) {
    const seconds = readNumber(attributes, TTFT_SECONDS_KEYS);
    if (seconds !== null && seconds >= 0) fields.timeToFirstTokenMs = seconds * 1000;
  }
  if (fields.usage.inputTokens === null || fields.requestModel === null) {
    readDetailsEvent(input, fields);
  }
}

/**
 * Infers the operation of a tool span without an operation name (Koog, Pydantic AI)
 * and of an agent run span without a model of its own (Pydantic AI `agent_name`).
 */
function inferOperation(attributes: Attributes): DialectFields['operation'] {
  if ('gen_ai.tool.name' in attributes) return 'execute_tool';
  const hasAgent = 'gen_ai.agent.name' in attributes || 'agent_name' in attributes;
  if (hasAgent && !('gen_ai.request.model' in attributes)) return 'invoke_agent';
  return null;
}

function readDetailsEvent(input: ReaderInput, fields: DialectFields): void {
  for (const event of input.events) {
    if (event.name !== DETAILS_EVENT) continue;
    fields.provider ??= normalizeProvider(
      readString(event.attributes, ['gen_ai.provider.name', 'gen_ai.system']),
    );
    fields.requestModel ??= readString(event.attributes, ['gen_ai.request.model']);
    fields.responseModel ??= readString(event.attributes, ['gen_ai.response.model']);
    fillUsage(event.attributes, OTEL_GENAI_USAGE_KEYS, fields.usage);
  }
}
