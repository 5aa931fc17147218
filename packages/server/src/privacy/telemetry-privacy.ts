import type { Pseudonymizer, Redactor } from '@foghorn/redact';
import type { Attributes, OtlpMetric, OtlpMetricsRequest } from '../ingest/otlp/otlp-model.ts';
import type { StoredLogRecord } from '../logs/log-record.ts';
import { readString } from '../semconv/attributes.ts';
import type { SpanPrivacy } from './span-privacy.ts';

const ENVIRONMENT_KEYS = ['deployment.environment.name', 'deployment.environment'];
const UNKNOWN_SERVICE = 'unknown_service';

function environmentOf(resource: Attributes): string | null {
  return readString(resource, ENVIRONMENT_KEYS);
}

function pointAttributes(metric: OtlpMetric): Attributes[] {
  const data = metric.data;
  if (data === null) return [];
  return (data.dataPoints as { attributes: Attributes }[]).map((point) => point.attributes);
}

function redactLogRecord(redactor: Redactor, record: StoredLogRecord): void {
  const view = {
    serviceName: record.serviceName,
    environment: environmentOf(record.resourceAttributes),
    eventName: record.eventName,
    body: record.body,
    attributes: record.attributes,
    resourceAttributes: record.resourceAttributes,
  };
  redactor.redactLogRecord(view);
  record.body = view.body;
}

function redactMetricsRequest(redactor: Redactor, request: OtlpMetricsRequest): void {
  for (const resourceMetrics of request.resourceMetrics) {
    const resource = resourceMetrics.resource;
    const serviceName = readString(resource, ['service.name']) ?? UNKNOWN_SERVICE;
    const environment = environmentOf(resource);
    for (const scopeMetrics of resourceMetrics.scopeMetrics) {
      for (const metric of scopeMetrics.metrics) {
        for (const attributes of pointAttributes(metric)) {
          redactor.redactMetricPoint({
            serviceName,
            environment,
            attributes,
            resourceAttributes: resource,
          });
        }
      }
    }
  }
}

/**
 * Adapts a redactor to the three signals of ingest. `pseudonymizer` uses the
 * redactor's secret, so erasure can find data stored under a pseudonym.
 */
export function createIngestPrivacy(
  redactor: Redactor,
  pseudonymizer: Pseudonymizer | null,
): SpanPrivacy {
  return {
    redactSpans: (spans) => redactor.redactSpans(spans),
    redactLogRecords(records) {
      for (const record of records) redactLogRecord(redactor, record);
    },
    redactMetricsRequest: (request) => redactMetricsRequest(redactor, request),
    stats: () => redactor.stats(),
    userIdentity: {
      userIdKeys: redactor.policy.userIdKeys,
      pseudonymize: (userId) => pseudonymizer?.pseudonymize(userId) ?? null,
    },
  };
}
