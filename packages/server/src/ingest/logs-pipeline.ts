import type { StoredLogRecord } from '../logs/log-record.ts';
import { readString } from '../semconv/attributes.ts';
import type { OtlpLogsRequest } from './otlp/otlp-model.ts';
import { correctLogTime } from './timestamps.ts';

/** Attribute that records the correction of a log record's time, such as `microseconds_as_nanoseconds`. */
export const LOG_TIME_ISSUE_ATTRIBUTE = 'foghorn.ingest_issue';

/** Flattens a logs request into stored records. */
export function toLogRecords(
  request: OtlpLogsRequest,
  receivedAtUnixNano: bigint,
): StoredLogRecord[] {
  const records: StoredLogRecord[] = [];
  for (const resourceLogs of request.resourceLogs) {
    const resource = resourceLogs.resource;
    const serviceName = readString(resource, ['service.name']) ?? 'unknown_service';
    for (const scopeLogs of resourceLogs.scopeLogs) {
      for (const record of scopeLogs.logRecords) {
        const time = correctLogTime(
          record.timeUnixNano,
          record.observedTimeUnixNano,
          receivedAtUnixNano,
        );
        records.push({
          timeUnixNano: time.timeUnixNano,
          observedTimeUnixNano: record.observedTimeUnixNano,
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          body: record.body,
          attributes:
            time.issue === null
              ? record.attributes
              : { ...record.attributes, [LOG_TIME_ISSUE_ATTRIBUTE]: time.issue },
          resourceAttributes: resource,
          serviceName,
          scopeName: scopeLogs.scope.name,
          traceId: record.traceId,
          spanId: record.spanId,
          eventName: record.eventName || (readString(record.attributes, ['event.name']) ?? ''),
        });
      }
    }
  }
  return records;
}
