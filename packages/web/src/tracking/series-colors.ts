/** Line colors of compared runs, readable on the dark background. */
export const SERIES_COLORS: readonly string[] = [
  '#4ea1ff',
  '#f2cc60',
  '#56d364',
  '#ff7b72',
  '#d2a8ff',
  '#79c0ff',
  '#ffa657',
  '#a5d6ff',
];
