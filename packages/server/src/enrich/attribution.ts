import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readString } from '../semconv/attributes.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';

/** Attribute keys read for each attribution field, span attributes first, then resource attributes. */
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
    'langfuse.trace.metadata.tenant_id',
    'metadata.tenant_id',
  ],
  feature: [
    'feature.name',
    'feature',
    'foghorn.feature',
    'app.feature',
    'traceloop.association.properties.feature',
    'ai.telemetry.metadata.feature',
    'ai.telemetry.functionId',
    'langfuse.trace.metadata.feature',
    'metadata.feature',
  ],
  userId: [
    'user.id',
    'enduser.id',
    'langfuse.user.id',
    'traceloop.association.properties.user_id',
    'ai.telemetry.metadata.userId',
  ],
  sessionId: [
    'session.id',
    'gen_ai.conversation.id',
    'langfuse.session.id',
    'traceloop.association.properties.session_id',
    'ai.telemetry.metadata.sessionId',
  ],
  environment: [
    'deployment.environment.name',
    'deployment.environment',
    'environment',
    'langfuse.environment',
  ],
} as const;

type AttributionField = keyof typeof ATTRIBUTION_KEYS;
const FIELDS = Object.keys(ATTRIBUTION_KEYS) as AttributionField[];

function readField(
  field: AttributionField,
  attributes: Attributes,
  resource: Attributes,
): string | null {
  return (
    readString(attributes, ATTRIBUTION_KEYS[field]) ?? readString(resource, ATTRIBUTION_KEYS[field])
  );
}

/**
 * Fills tenant, feature, user, session and environment on each span. A span without
 * its own value inherits it from its nearest ancestor in the same batch, so the
 * model calls inside an agent or pipeline carry the attribution set on the root.
 */
export function attributeSpans(spans: CanonicalSpan[]): void {
  const bySpanId = new Map<string, CanonicalSpan>();
  for (const span of spans) {
    for (const field of FIELDS)
      span[field] = readField(field, span.attributes, span.resourceAttributes);
    bySpanId.set(`${span.traceId}/${span.spanId}`, span);
  }
  for (const span of spans) inheritFromAncestors(span, bySpanId);
}

function inheritFromAncestors(span: CanonicalSpan, bySpanId: Map<string, CanonicalSpan>): void {
  let parentId = span.parentSpanId;
  for (let depth = 0; parentId !== null && depth < 256; depth++) {
    const parent = bySpanId.get(`${span.traceId}/${parentId}`);
    if (!parent) return;
    for (const field of FIELDS) {
      if (span[field] === null && parent[field] !== null) span[field] = parent[field];
    }
    parentId = parent.parentSpanId;
  }
}
