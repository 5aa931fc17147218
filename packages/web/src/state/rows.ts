/** The collapsible rows under the three big graphs, in page order. */
export const ROW_IDS = ['tokens-by-model', 'tokens-by-feature', 'cost-by-tenant'] as const;

export type RowId = (typeof ROW_IDS)[number];

export function isRowId(value: string): value is RowId {
  return (ROW_IDS as readonly string[]).includes(value);
}
