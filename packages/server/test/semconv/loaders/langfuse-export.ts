import type { OtlpResourceSpans, OtlpTraceRequest } from '../../../src/ingest/otlp/otlp-model.ts';
import { buildResourceSpans, buildSpan, isoToUnixNano } from './otlp-builders.ts';
import { toAttributes } from './plain-attributes.ts';

interface Observation {
  id: string;
  traceId: string;
  parentObservationId: string | null;
  name: string;
  startTime: string;
  endTime: string | null;
  level: string;
  statusMessage: string | null;
  metadata: unknown;
}

interface ObservationMetadata {
  attributes?: unknown;
  resourceAttributes?: unknown;
  scope?: { name?: string };
}

/**
 * Loads a Langfuse trace export. Each observation becomes a span with the original
 * attributes, resource and scope kept under its `metadata`. Level ERROR becomes
 * status ERROR. Fields Langfuse promoted out of the attributes (usage, model,
 * input, output) are not put back, so the spans carry what survived in `metadata`.
 */
export function loadLangfuseExport(text: string): OtlpTraceRequest {
  const exported = JSON.parse(text) as { observations: Observation[] };
  return { resourceSpans: exported.observations.map(toResourceSpans) };
}

function toResourceSpans(observation: Observation): OtlpResourceSpans {
  const metadata = readMetadata(observation.metadata);
  const failed = observation.level === 'ERROR';
  const span = buildSpan({
    name: observation.name,
    attributes: toAttributes(metadata.attributes),
    traceId: observation.traceId,
    spanId: observation.id,
    parentSpanId: observation.parentObservationId ?? '',
    startTimeUnixNano: isoToUnixNano(observation.startTime),
    endTimeUnixNano: isoToUnixNano(observation.endTime),
    status: { code: failed ? 2 : 0, message: failed ? (observation.statusMessage ?? '') : '' },
  });
  const resource = toAttributes(metadata.resourceAttributes);
  return buildResourceSpans(resource, metadata.scope?.name ?? '', [span]);
}

function readMetadata(metadata: unknown): ObservationMetadata {
  const parsed = typeof metadata === 'string' ? (JSON.parse(metadata) as unknown) : metadata;
  return parsed !== null && typeof parsed === 'object' ? (parsed as ObservationMetadata) : {};
}
