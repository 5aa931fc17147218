/** Shows a group key as text; null is the group of spans without the dimension. */
export function keyLabel(key: string | null, dimension: string): string {
  return key === null || key === '' ? `(no ${dimension})` : key;
}

/** Returns series indexes ordered by their label, so colors stay put between refreshes. */
export function orderByLabel(labels: string[]): number[] {
  return labels
    .map((label, index) => ({ label, index }))
    .sort((a, b) => a.label.localeCompare(b.label))
    .map(({ index }) => index);
}
