/** Formats Unix ms as the local-time value of an `<input type="datetime-local">`. */
export function toDatetimeLocalValue(timeMs: number): string {
  const date = new Date(timeMs);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Parses a `datetime-local` value as local time; returns null for an empty or invalid value. */
export function fromDatetimeLocalValue(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (match === null) {
    return null;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const timeMs = new Date(year ?? 0, (month ?? 1) - 1, day, hour, minute, second).getTime();
  return Number.isFinite(timeMs) ? timeMs : null;
}
