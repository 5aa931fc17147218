/** Byte lengths of W3C trace context ids. */
export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;

const HEX_BY_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/** Converts `bytes[start, end)` to lowercase hex with a per-byte lookup table. */
export function bytesToHex(bytes: Uint8Array, start: number, end: number): string {
  let hex = '';
  for (let i = start; i < end; i++) hex += HEX_BY_BYTE[bytes[i]!]!;
  return hex;
}

const HEX_PATTERN = /^[0-9a-fA-F]*$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Converts an OTLP/JSON trace or span id to lowercase hex. The OTLP/JSON
 * encoding uses case-insensitive hex; some exporters follow the generic
 * protobuf JSON mapping and send base64 instead, which differs from hex in
 * length (24 characters for 16 bytes, 12 for 8). Returns null when the text
 * is neither.
 */
export function jsonIdToHex(text: string, idBytes: number): string | null {
  if (text.length === idBytes * 2 && HEX_PATTERN.test(text)) return text.toLowerCase();
  if (text.length !== Math.ceil(idBytes / 3) * 4 || !BASE64_PATTERN.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== idBytes) return null;
  return bytesToHex(bytes, 0, bytes.length);
}

/** Checks whether a hex string consists of zeros only, which OTLP defines as an invalid id. */
export function isAllZeroHex(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) {
    if (hex.charCodeAt(i) !== 48) return false;
  }
  return true;
}
