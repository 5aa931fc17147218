/** Returns the value of a chart column at the cursor, or null outside the data. */
export function valueAt(
  column: (number | null)[] | number[] | undefined,
  index: number,
): number | null {
  return column?.[index] ?? null;
}

const cursorTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** Says what the legend values describe: the bucket under the cursor or the whole window. */
export function cursorCaption(timesMs: number[], cursorIndex: number | null): string {
  const timeMs = cursorIndex === null ? undefined : timesMs[cursorIndex];
  return timeMs === undefined ? 'Whole window' : `At ${cursorTimeFormat.format(timeMs)}`;
}
