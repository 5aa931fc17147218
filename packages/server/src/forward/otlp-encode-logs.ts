import type { StoredLogRecord } from '../logs/log-record.ts';
import {
  groupByResourceAndScope,
  hexToBytes,
  writeAnyValue,
  writeKeyValues,
  writeResource,
  writeScope,
} from './otlp-encode-common.ts';
import { ProtoWriter } from './proto-writer.ts';

/** Field numbers of `ExportLogsServiceRequest` and the messages inside it. */
const REQUEST = { resourceLogs: 1 } as const;
const RESOURCE_LOGS = { resource: 1, scopeLogs: 2 } as const;
const SCOPE_LOGS = { scope: 1, logRecords: 2 } as const;
const LOG_RECORD = {
  timeUnixNano: 1,
  severityNumber: 2,
  severityText: 3,
  body: 5,
  attributes: 6,
  traceId: 9,
  spanId: 10,
  observedTimeUnixNano: 11,
  eventName: 12,
} as const;

/** Encodes redacted log records as an OTLP/protobuf `ExportLogsServiceRequest`. */
export function encodeLogsRequest(records: readonly StoredLogRecord[]): Uint8Array {
  const writer = new ProtoWriter();
  const groups = groupByResourceAndScope(
    records,
    (record) => record.resourceAttributes,
    (record) => record.scopeName,
  );
  for (const group of groups) {
    writer.message(REQUEST.resourceLogs, (resourceLogs) => {
      writeResource(resourceLogs, RESOURCE_LOGS.resource, group.resource);
      for (const scope of group.scopes) {
        resourceLogs.message(RESOURCE_LOGS.scopeLogs, (scopeLogs) => {
          writeScope(scopeLogs, SCOPE_LOGS.scope, { name: scope.scopeName });
          for (const record of scope.items)
            scopeLogs.message(SCOPE_LOGS.logRecords, (child) => writeLogRecord(child, record));
        });
      }
    });
  }
  return writer.finish();
}

function writeLogRecord(writer: ProtoWriter, record: StoredLogRecord): void {
  writer.fixed64Field(LOG_RECORD.timeUnixNano, record.timeUnixNano);
  if (record.observedTimeUnixNano > 0n)
    writer.fixed64Field(LOG_RECORD.observedTimeUnixNano, record.observedTimeUnixNano);
  if (record.severityNumber !== 0)
    writer.varintField(LOG_RECORD.severityNumber, record.severityNumber);
  if (record.severityText !== '') writer.stringField(LOG_RECORD.severityText, record.severityText);
  if (record.body !== null)
    writer.message(LOG_RECORD.body, (body) => writeAnyValue(body, record.body));
  writeKeyValues(writer, LOG_RECORD.attributes, record.attributes);
  if (record.traceId !== '') writer.bytesField(LOG_RECORD.traceId, hexToBytes(record.traceId));
  if (record.spanId !== '') writer.bytesField(LOG_RECORD.spanId, hexToBytes(record.spanId));
  if (record.eventName !== '') writer.stringField(LOG_RECORD.eventName, record.eventName);
}
