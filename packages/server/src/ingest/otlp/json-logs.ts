import { SPAN_ID_BYTES, TRACE_ID_BYTES } from './hex-ids.ts';
import {
  decodeJsonAnyValue,
  decodeJsonResource,
  decodeJsonScope,
  readJsonAttributes,
} from './json-common.ts';
import {
  getField,
  inField,
  mapMessages,
  readArray,
  readEnum,
  readId,
  readObject,
  readString,
  readUint32,
  readUint64,
  type JsonObject,
} from './json-fields.ts';
import { decodeJsonBody, parseJsonRequest } from './json-request.ts';
import { rejectInvalidLogRecords } from './log-check.ts';
import type {
  LogsDecodeResult,
  OtlpLogRecord,
  OtlpResourceLogs,
  OtlpScopeLogs,
} from './otlp-model.ts';

const MESSAGE_NAME = 'ExportLogsServiceRequest';

/** `SeverityNumber` names: SEVERITY_NUMBER_TRACE = 1 up to SEVERITY_NUMBER_FATAL4 = 24. */
const SEVERITY_NUMBER_BY_NAME: Readonly<Record<string, number>> = buildSeverityNames();

function buildSeverityNames(): Record<string, number> {
  const names: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
  ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((level, levelIndex) => {
    for (let step = 0; step < 4; step++) {
      const suffix = step === 0 ? '' : String(step + 1);
      names[`SEVERITY_NUMBER_${level}${suffix}`] = levelIndex * 4 + step + 1;
    }
  });
  return names;
}

/**
 * Decodes an OTLP/JSON `ExportLogsServiceRequest`, with the same leniency as
 * decodeTraceRequestJson. Records with malformed trace or span ids are left
 * out and counted; a body that is not such a request throws OtlpDecodeError
 * with code OTLP_INVALID_JSON.
 */
export function decodeLogsRequestJson(text: string): LogsDecodeResult {
  const items = parseJsonRequest(text, MESSAGE_NAME, ['resourceLogs', 'resource_logs']);
  const resourceLogs = decodeJsonBody(MESSAGE_NAME, () =>
    mapMessages(items, 'resourceLogs', decodeResourceLogs),
  );
  return rejectInvalidLogRecords({ resourceLogs });
}

function decodeResourceLogs(object: JsonObject): OtlpResourceLogs {
  const resource = inField('resource', () => decodeJsonResource(readObject(object, 'resource')));
  let scopeLogs = mapMessages(
    readArray(object, 'scopeLogs', 'scope_logs'),
    'scopeLogs',
    decodeScopeLogs,
  );
  if (scopeLogs.length === 0) {
    const legacy = readArray(object, 'instrumentationLibraryLogs', 'instrumentation_library_logs');
    scopeLogs = mapMessages(legacy, 'instrumentationLibraryLogs', decodeScopeLogs);
  }
  return { resource, schemaUrl: readString(object, 'schemaUrl', 'schema_url'), scopeLogs };
}

function decodeScopeLogs(object: JsonObject): OtlpScopeLogs {
  const scopeObject =
    getField(object, 'scope', 'scope') === undefined
      ? readObject(object, 'instrumentationLibrary', 'instrumentation_library')
      : readObject(object, 'scope');
  return {
    scope: inField('scope', () => decodeJsonScope(scopeObject)),
    schemaUrl: readString(object, 'schemaUrl', 'schema_url'),
    logRecords: mapMessages(
      readArray(object, 'logRecords', 'log_records'),
      'logRecords',
      decodeLogRecord,
    ),
  };
}

function decodeLogRecord(object: JsonObject): OtlpLogRecord {
  const body = getField(object, 'body', 'body');
  return {
    timeUnixNano: readUint64(object, 'timeUnixNano', 'time_unix_nano'),
    observedTimeUnixNano: readUint64(object, 'observedTimeUnixNano', 'observed_time_unix_nano'),
    severityNumber: readEnum(
      object,
      ['severityNumber', 'severity_number'],
      SEVERITY_NUMBER_BY_NAME,
    ),
    severityText: readString(object, 'severityText', 'severity_text'),
    body: body === undefined ? null : inField('body', () => decodeJsonAnyValue(body, 0)),
    attributes: readJsonAttributes(object),
    droppedAttributesCount: readUint32(
      object,
      'droppedAttributesCount',
      'dropped_attributes_count',
    ),
    flags: readUint32(object, 'flags'),
    traceId: readId(object, 'traceId', 'trace_id', TRACE_ID_BYTES),
    spanId: readId(object, 'spanId', 'span_id', SPAN_ID_BYTES),
    eventName: readString(object, 'eventName', 'event_name'),
  };
}
