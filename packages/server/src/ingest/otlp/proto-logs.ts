import { toProtobufDecodeError } from './decode-error.ts';
import { rejectInvalidLogRecords } from './log-check.ts';
import type {
  Attributes,
  LogsDecodeResult,
  OtlpLogRecord,
  OtlpResourceLogs,
  OtlpScope,
  OtlpScopeLogs,
} from './otlp-model.ts';
import { decodeAnyValue, decodeKeyValueInto, decodeResource, decodeScope } from './proto-common.ts';
import { messageFields, readMessage, repeatedIndex } from './proto-fields.ts';
import { ProtoReader, WireType } from './proto-reader.ts';

const { varint, fixed64, lengthDelimited, fixed32 } = WireType;
const MESSAGE_NAME = 'ExportLogsServiceRequest';

const REQUEST = messageFields({ resourceLogs: [1, lengthDelimited] });
const RESOURCE_LOGS = messageFields({
  resource: [1, lengthDelimited],
  scopeLogs: [2, lengthDelimited],
  schemaUrl: [3, lengthDelimited],
  /** Deprecated field laid out like ScopeLogs; read only when scope_logs is absent. */
  instrumentationLibraryLogs: [1000, lengthDelimited],
});
const SCOPE_LOGS = messageFields({
  scope: [1, lengthDelimited],
  logRecords: [2, lengthDelimited],
  schemaUrl: [3, lengthDelimited],
});
const LOG_RECORD = messageFields({
  timeUnixNano: [1, fixed64],
  observedTimeUnixNano: [11, fixed64],
  severityNumber: [2, varint],
  severityText: [3, lengthDelimited],
  body: [5, lengthDelimited],
  attributes: [6, lengthDelimited],
  droppedAttributesCount: [7, varint],
  flags: [8, fixed32],
  traceId: [9, lengthDelimited],
  spanId: [10, lengthDelimited],
  eventName: [12, lengthDelimited],
});

/**
 * Decodes an OTLP `ExportLogsServiceRequest` in the protobuf binary encoding.
 * Records with malformed trace or span ids are left out and counted; a body
 * that is not such a message throws OtlpDecodeError with code OTLP_INVALID_PROTOBUF.
 */
export function decodeLogsRequestProtobuf(body: Uint8Array): LogsDecodeResult {
  const reader = new ProtoReader(body);
  const resourceLogs: OtlpResourceLogs[] = [];
  try {
    readMessage(
      reader,
      reader.length,
      REQUEST.table,
      (tag) => {
        if (tag !== REQUEST.tags.resourceLogs) return false;
        resourceLogs.push(decodeResourceLogs(reader, reader.readLengthEnd(reader.length)));
        return true;
      },
      () => resourceLogs.length,
    );
  } catch (error) {
    throw toProtobufDecodeError(error, MESSAGE_NAME);
  }
  return rejectInvalidLogRecords({ resourceLogs });
}

function decodeResourceLogs(reader: ProtoReader, end: number): OtlpResourceLogs {
  let resource: Attributes = {};
  let schemaUrl = '';
  const scopeLogs: OtlpScopeLogs[] = [];
  const legacyScopeLogs: OtlpScopeLogs[] = [];
  const { tags } = RESOURCE_LOGS;
  readMessage(
    reader,
    end,
    RESOURCE_LOGS.table,
    (tag) => {
      if (tag === tags.scopeLogs)
        scopeLogs.push(decodeScopeLogs(reader, reader.readLengthEnd(end)));
      else if (tag === tags.resource) resource = decodeResource(reader, reader.readLengthEnd(end));
      else if (tag === tags.schemaUrl) schemaUrl = reader.readRepeatedString(end);
      else if (tag === tags.instrumentationLibraryLogs) {
        legacyScopeLogs.push(decodeScopeLogs(reader, reader.readLengthEnd(end)));
      } else return false;
      return true;
    },
    (field) => repeatedIndex({ 2: scopeLogs.length, 1000: legacyScopeLogs.length }, field),
  );
  return { resource, schemaUrl, scopeLogs: scopeLogs.length > 0 ? scopeLogs : legacyScopeLogs };
}

function decodeScopeLogs(reader: ProtoReader, end: number): OtlpScopeLogs {
  let scope: OtlpScope = { name: '', version: '', attributes: {} };
  let schemaUrl = '';
  const logRecords: OtlpLogRecord[] = [];
  const { tags } = SCOPE_LOGS;
  readMessage(
    reader,
    end,
    SCOPE_LOGS.table,
    (tag) => {
      if (tag === tags.logRecords)
        logRecords.push(decodeLogRecord(reader, reader.readLengthEnd(end)));
      else if (tag === tags.scope) scope = decodeScope(reader, reader.readLengthEnd(end));
      else if (tag === tags.schemaUrl) schemaUrl = reader.readRepeatedString(end);
      else return false;
      return true;
    },
    (field) => (field === 2 ? logRecords.length : undefined),
  );
  return { scope, schemaUrl, logRecords };
}

function decodeLogRecord(reader: ProtoReader, end: number): OtlpLogRecord {
  const record: OtlpLogRecord = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: null,
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
  let attributeCount = 0;
  const { tags } = LOG_RECORD;
  readMessage(
    reader,
    end,
    LOG_RECORD.table,
    (tag) => {
      if (tag === tags.attributes) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), record.attributes, 0);
        attributeCount++;
      } else if (tag === tags.body)
        record.body = decodeAnyValue(reader, reader.readLengthEnd(end), 0);
      else if (tag === tags.timeUnixNano) record.timeUnixNano = reader.readFixed64();
      else if (tag === tags.observedTimeUnixNano)
        record.observedTimeUnixNano = reader.readFixed64();
      else if (tag === tags.severityNumber) record.severityNumber = reader.readInt32();
      else if (tag === tags.severityText) record.severityText = reader.readRepeatedString(end);
      else if (tag === tags.droppedAttributesCount)
        record.droppedAttributesCount = reader.readVarint32();
      else if (tag === tags.flags) record.flags = reader.readFixed32();
      else if (tag === tags.traceId) record.traceId = reader.readHex(end);
      else if (tag === tags.spanId) record.spanId = reader.readHex(end);
      else if (tag === tags.eventName) record.eventName = reader.readRepeatedString(end);
      else return false;
      return true;
    },
    (field) => (field === 6 ? attributeCount : undefined),
  );
  return record;
}
