import type { Pseudonymizer, Redactor } from '@foghorn/redact';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import type { Attributes, OtlpMetric, OtlpMetricsRequest } from '../ingest/otlp/otlp-model.ts';
import type { StoredLogRecord } from '../logs/log-record.ts';
import { readString } from '../semconv/attributes.ts';
import type { IngestPrivacy } from './span-privacy.ts';

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

interface ProjectRedactors {
  /** Returns the project's redactor, building it on the project's first data. */
  forProject(projectId: string): Redactor;
  /** Returns the project's redactor, or undefined before its first data. */
  find(projectId: string): Redactor | undefined;
  /** Returns the ids of the projects that have a redactor. */
  projectIds(): string[];
}

/**
 * Keeps one redactor per project so that each project's redaction counters
 * stay its own. `redactor` serves the default project; `newRedactor` builds the
 * redactor of every other project, from the same policy and secret.
 */
function createProjectRedactors(
  redactor: Redactor,
  newRedactor: (() => Redactor) | undefined,
): ProjectRedactors {
  const redactors = new Map<string, Redactor>([[DEFAULT_PROJECT_ID, redactor]]);
  return {
    find: (projectId) => redactors.get(projectId),
    projectIds: () => [...redactors.keys()],
    forProject(projectId) {
      let found = redactors.get(projectId);
      if (found !== undefined) return found;
      if (newRedactor === undefined)
        throw new Error(
          `project "${projectId}" has no redactor because createIngestPrivacy got no newRedactor; pass one to redact projects other than "${DEFAULT_PROJECT_ID}"`,
        );
      found = newRedactor();
      redactors.set(projectId, found);
      return found;
    },
  };
}

/**
 * Adapts redactors to the three signals of ingest. `pseudonymizer` uses the
 * redactors' secret, so erasure can find data stored under a pseudonym.
 */
export function createIngestPrivacy(
  redactor: Redactor,
  pseudonymizer: Pseudonymizer | null,
  newRedactor?: () => Redactor,
): IngestPrivacy {
  const redactors = createProjectRedactors(redactor, newRedactor);
  /** Zero counters since start, for a project that has sent nothing yet. */
  const emptyStats = redactor.stats();
  return {
    redactSpans: (spans, projectId = DEFAULT_PROJECT_ID) =>
      redactors.forProject(projectId).redactSpans(spans),
    redactLogRecords(records, projectId = DEFAULT_PROJECT_ID) {
      const projectRedactor = redactors.forProject(projectId);
      for (const record of records) redactLogRecord(projectRedactor, record);
    },
    redactMetricsRequest: (request, projectId = DEFAULT_PROJECT_ID) =>
      redactMetricsRequest(redactors.forProject(projectId), request),
    stats: (projectId) => redactors.find(projectId)?.stats() ?? emptyStats,
    projectIds: () => redactors.projectIds(),
    userIdentity: {
      userIdKeys: redactor.policy.userIdKeys,
      pseudonymize: (userId) => pseudonymizer?.pseudonymize(userId) ?? null,
    },
  };
}
