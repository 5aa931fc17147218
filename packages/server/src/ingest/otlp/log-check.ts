import { SPAN_ID_BYTES, TRACE_ID_BYTES, isAllZeroHex } from './hex-ids.ts';
import { Rejections, describeIdProblem, describeTimeProblem } from './id-check.ts';
import type { LogsDecodeResult, OtlpLogRecord, OtlpLogsRequest } from './otlp-model.ts';

/**
 * Removes log records whose trace or span id is malformed, or whose times are
 * past the latest time the store can represent, and counts them. Both ids are optional,
 * and an all-zero id means "no span", so it becomes ''.
 */
export function rejectInvalidLogRecords(request: OtlpLogsRequest): LogsDecodeResult {
  const rejections = new Rejections();
  request.resourceLogs.forEach((resourceLogs, resourceIndex) => {
    resourceLogs.scopeLogs.forEach((scopeLogs, scopeIndex) => {
      const keptRecords: OtlpLogRecord[] = [];
      scopeLogs.logRecords.forEach((record, recordIndex) => {
        if (isAllZeroHex(record.traceId)) record.traceId = '';
        if (isAllZeroHex(record.spanId)) record.spanId = '';
        const problem =
          describeIdProblem('traceId', record.traceId, TRACE_ID_BYTES, false) ||
          describeIdProblem('spanId', record.spanId, SPAN_ID_BYTES, false) ||
          describeTimeProblem('timeUnixNano', record.timeUnixNano) ||
          describeTimeProblem('observedTimeUnixNano', record.observedTimeUnixNano);
        if (problem === '') keptRecords.push(record);
        else {
          const path = `resourceLogs[${resourceIndex}].scopeLogs[${scopeIndex}].logRecords[${recordIndex}]`;
          rejections.add(path, problem);
        }
      });
      scopeLogs.logRecords = keptRecords;
    });
  });
  return { request, rejectedLogRecords: rejections.count, rejectionMessage: rejections.message };
}
