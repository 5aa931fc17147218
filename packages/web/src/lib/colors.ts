/** Line colors chosen to stay apart from each other on the dark background. */
export const SERIES_COLORS = [
  '#4ea1ff',
  '#f0883e',
  '#3fb950',
  '#d2a8ff',
  '#ff7b72',
  '#e3b341',
  '#56d4dd',
  '#ff9bce',
  '#a5d6ff',
  '#b4d273',
] as const;

/** Returns the color of the series at `index`, repeating the palette past its end. */
export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? SERIES_COLORS[0];
}
