import type { StoredLogRecord } from '../logs/log-record.ts';
import { readString } from '../semconv/attributes.ts';
import type { OtlpLogsRequest } from './otlp/otlp-model.ts';

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
        const time =
          record.timeUnixNano > 0n
            ? record.timeUnixNano
            : record.observedTimeUnixNano > 0n
              ? record.observedTimeUnixNano
              : receivedAtUnixNano;
        records.push({
          timeUnixNano: time,
          observedTimeUnixNano: record.observedTimeUnixNano,
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          body: record.body,
          attributes: record.attributes,
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
