import type { AuditEntry } from '../store/auth-store.ts';

const CSV_COLUMNS = [
  'time',
  'actor',
  'action',
  'projectId',
  'target',
  'outcome',
  'address',
  'detail',
] as const;

function entryJson(entry: AuditEntry): Record<string, unknown> {
  const { timeUnixMs, ...rest } = entry;
  return { time: new Date(timeUnixMs).toISOString(), timeUnixMs, ...rest };
}

/** Quotes a CSV field per RFC 4180, and prefixes cells a spreadsheet would run as a formula. */
function csvField(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditToJson(entries: readonly AuditEntry[]): Record<string, unknown>[] {
  return entries.map(entryJson);
}

/** One JSON object per line. */
export function auditToJsonLines(entries: readonly AuditEntry[]): string {
  return entries.map((entry) => `${JSON.stringify(entryJson(entry))}\n`).join('');
}

/** A header row and one row per entry; `detail` is JSON. */
export function auditToCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((entry) => {
    const json = entryJson(entry);
    return CSV_COLUMNS.map((column) => csvField(json[column])).join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].map((row) => `${row}\r\n`).join('');
}
