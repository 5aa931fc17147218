export { OtlpDecodeError } from './decode-error.ts';
export type { OtlpDecodeErrorCode } from './decode-error.ts';
export { decodeLogsRequestJson } from './json-logs.ts';
export { decodeMetricsRequestJson } from './json-metrics.ts';
export { decodeTraceRequestJson } from './json-trace.ts';
export { decodeLogsRequestProtobuf } from './proto-logs.ts';
export { decodeMetricsRequestProtobuf } from './proto-metrics.ts';
export { decodeTraceRequestProtobuf } from './proto-trace.ts';
