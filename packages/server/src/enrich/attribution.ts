import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readJsonObject, readString } from '../semconv/attributes.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';

/**
 * Attribute keys read for each attribution field, span attributes first, then
 * resource attributes. Per dialect: Traceloop association properties, AI SDK
 * `ai.telemetry.metadata.*` (v3 to v6) and `ai.settings.context.*` (v7), Langfuse
 * trace and observation metadata, OpenInference `metadata.*` as flattened by its
 * JS processors, and the general `user.id`, `session.id`, `enduser.id`.
 */
export const ATTRIBUTION_KEYS = {
  tenant: [
    'tenant.id',
    'tenant_id',
    'foghorn.tenant',
    'app.tenant.id',
    'traceloop.association.properties.tenant_id',
    'traceloop.association.properties.customer_id',
    'ai.telemetry.metadata.tenantId',
    'ai.telemetry.metadata.tenant_id',
    'ai.settings.context.tenantId',
    'ai.settings.context.tenant_id',
    'langfuse.trace.metadata.tenant_id',
    'langfuse.observation.metadata.tenant_id',
    'metadata.tenant_id',
  ],
  feature: [
    'feature.name',
    'feature',
    'foghorn.feature',
    'app.feature',
    'traceloop.association.properties.feature',
    'ai.telemetry.metadata.feature',
    'ai.settings.context.feature',
    'ai.telemetry.functionId',
    'traceloop.workflow.name',
    'gen_ai.workflow.name',
    'langfuse.trace.name',
    'langfuse.trace.metadata.feature',
    'langfuse.observation.metadata.feature',
    'metadata.feature',
  ],
  userId: [
    'user.id',
    'enduser.id',
    'langfuse.user.id',
    'traceloop.association.properties.user_id',
    'ai.telemetry.metadata.userId',
    'ai.settings.context.userId',
    'langfuse.trace.metadata.langfuse_user_id',
    'langfuse.observation.metadata.langfuse_user_id',
  ],
  sessionId: [
    'session.id',
    'langfuse.session.id',
    'traceloop.association.properties.session_id',
    'ai.telemetry.metadata.sessionId',
    'ai.settings.context.sessionId',
    'langfuse.trace.metadata.langfuse_session_id',
    'langfuse.observation.metadata.langfuse_session_id',
    'gen_ai.conversation.id',
  ],
  environment: [
    'deployment.environment.name',
    'deployment.environment',
    'environment',
    'langfuse.environment',
  ],
} as const;

export type AttributionField = keyof typeof ATTRIBUTION_KEYS;
export const ATTRIBUTION_FIELDS = Object.keys(ATTRIBUTION_KEYS) as AttributionField[];
const FIELDS = ATTRIBUTION_FIELDS;

/** Keys from `<dataDir>/attribution.yaml`, read before (or, with `replaceDefaults`, instead of) the defaults. */
export interface AttributionSettings {
  keys: Partial<Record<AttributionField, readonly string[]>>;
  replaceDefaults: boolean;
}

/** Attribution known from outside the span, such as the project of the ingest key that sent it. */
export type AttributionContext = Partial<Record<AttributionField, string | null>>;

/**
 * The keys each field reads, including W3C baggage copied onto spans as
 * `baggage.<key>` attributes. Process-wide, like the price book: `startFoghorn`
 * installs the settings of its data directory.
 */
let activeKeys = keysFor({ keys: {}, replaceDefaults: false });

function keysFor(settings: AttributionSettings): Record<AttributionField, readonly string[]> {
  const keys = {} as Record<AttributionField, readonly string[]>;
  for (const field of FIELDS) {
    const configured = settings.keys[field] ?? [];
    const plain = settings.replaceDefaults
      ? [...configured]
      : [...configured, ...ATTRIBUTION_KEYS[field]];
    keys[field] = [...plain, ...plain.map((key) => `baggage.${key}`)];
  }
  return keys;
}

/** Makes `settings` the keys `attributeSpans` reads; returns a function that restores the previous keys. */
export function installAttributionSettings(settings: AttributionSettings): () => void {
  const previous = activeKeys;
  const next = keysFor(settings);
  activeKeys = next;
  return () => {
    if (activeKeys === next) activeKeys = previous;
  };
}

/**
 * Attributes that hold metadata as one JSON object (OpenInference Python `metadata`,
 * Langfuse `langfuse.trace.metadata` and `langfuse.observation.metadata`), and the
 * keys read inside them when no flat key matched.
 */
const METADATA_JSON_ATTRIBUTES = [
  'metadata',
  'langfuse.trace.metadata',
  'langfuse.observation.metadata',
];
const METADATA_JSON_KEYS: Readonly<Record<AttributionField, readonly string[]>> = {
  tenant: ['tenant_id', 'tenantId', 'tenant'],
  feature: ['feature'],
  userId: ['user_id', 'userId', 'langfuse_user_id'],
  sessionId: ['session_id', 'sessionId', 'langfuse_session_id'],
  environment: ['environment'],
};

function readField(
  field: AttributionField,
  attributes: Attributes,
  resource: Attributes,
): string | null {
  return (
    readString(attributes, activeKeys[field]) ??
    readMetadataJson(field, attributes) ??
    readBaggage(field, attributes) ??
    readString(resource, activeKeys[field]) ??
    readBaggage(field, resource)
  );
}

/** Reads a field from a `baggage` attribute holding a W3C baggage header value (`k1=v1,k2=v2;prop`). */
function readBaggage(field: AttributionField, attributes: Attributes): string | null {
  const header = attributes.baggage;
  if (typeof header !== 'string' || header === '') return null;
  const entries = parseBaggage(header);
  for (const key of activeKeys[field]) {
    const value = entries.get(key);
    if (value !== undefined && value !== '') return value;
  }
  return null;
}

export function parseBaggage(header: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const member of header.split(',')) {
    const [pair = ''] = member.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    entries.set(key, decodeBaggageValue(pair.slice(eq + 1).trim()));
  }
  return entries;
}

function decodeBaggageValue(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function readMetadataJson(field: AttributionField, attributes: Attributes): string | null {
  for (const key of METADATA_JSON_ATTRIBUTES) {
    if (!(key in attributes)) continue;
    const metadata = readJsonObject(attributes, key);
    const value = metadata === null ? null : readString(metadata, METADATA_JSON_KEYS[field]);
    if (value !== null) return value;
  }
  return null;
}

/**
 * Fills tenant, feature, user, session and environment on each span. A span without
 * its own value of these or of the registered model (read at normalization) inherits
 * it from its nearest ancestor in the same batch, so the
 * model calls inside an agent or pipeline carry the attribution set on the root.
 */
export function attributeSpans(spans: CanonicalSpan[], context: AttributionContext = {}): void {
  const bySpanId = new Map<string, CanonicalSpan>();
  for (const span of spans) {
    for (const field of FIELDS)
      span[field] = readField(field, span.attributes, span.resourceAttributes);
    bySpanId.set(`${span.traceId}/${span.spanId}`, span);
  }
  for (const span of spans) inheritFromAncestors(span, bySpanId);
  for (const span of spans) fillFromContext(span, context);
}

/**
 * Fills fields still empty from the request's context. TODO: ingest keys with a
 * project do not exist yet; once they do, ingest passes the project's tenant here.
 */
function fillFromContext(span: CanonicalSpan, context: AttributionContext): void {
  for (const field of FIELDS) {
    const value = context[field];
    if (span[field] === null && value !== undefined && value !== null) span[field] = value;
  }
}

/** Fields a child takes from its ancestors: attribution plus the registered model version. */
const INHERITED_FIELDS = [...FIELDS, 'registeredModel'] as const;

function inheritFromAncestors(span: CanonicalSpan, bySpanId: Map<string, CanonicalSpan>): void {
  let parentId = span.parentSpanId;
  for (let depth = 0; parentId !== null && depth < 256; depth++) {
    const parent = bySpanId.get(`${span.traceId}/${parentId}`);
    if (!parent) return;
    for (const field of INHERITED_FIELDS) {
      if (span[field] === null && parent[field] !== null) span[field] = parent[field];
    }
    parentId = parent.parentSpanId;
  }
}
