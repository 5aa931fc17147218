/** The three big graphs, always shown on top. */
export const TOP_PANEL_IDS = ['latency', 'errors', 'cost'] as const;

/** The collapsible rows under the three big graphs, in page order. */
export const ROW_IDS = [
  'tokens-by-model',
  'tokens-by-feature',
  'cost-by-tenant',
  'quality',
  'inflight-ttft',
  'model-versions',
  'privacy-redactions',
] as const;

export type TopPanelId = (typeof TOP_PANEL_IDS)[number];
export type RowId = (typeof ROW_IDS)[number];
/** Every panel id; alert rules and notification links name panels by these ids. */
export type PanelId = TopPanelId | RowId;

export function isRowId(value: string): value is RowId {
  return (ROW_IDS as readonly string[]).includes(value);
}

export function isPanelId(value: string): value is PanelId {
  return isRowId(value) || (TOP_PANEL_IDS as readonly string[]).includes(value);
}
