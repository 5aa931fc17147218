import { useState } from 'preact/hooks';
import { loadOpenRows, saveOpenRows } from '../state/open-rows.ts';
import { isRowId, ROW_IDS, type PanelId, type RowId } from '../state/rows.ts';

/**
 * Tracks which rows are open. The start state is the rows remembered in localStorage plus
 * the row named in the URL; each toggle is saved and reported as the new `panel`.
 */
export function useOpenRows(
  urlPanel: PanelId | null,
  onPanelChange: (panel: PanelId | null) => void,
): [ReadonlySet<RowId>, (rowId: RowId) => void] {
  const [openRows, setOpenRows] = useState<ReadonlySet<RowId>>(() => {
    const remembered = new Set(loadOpenRows(browserStorage()));
    if (urlPanel !== null && isRowId(urlPanel)) {
      remembered.add(urlPanel);
    }
    return remembered;
  });

  const toggle = (rowId: RowId): void => {
    const next = new Set(openRows);
    if (next.has(rowId)) {
      next.delete(rowId);
    } else {
      next.add(rowId);
    }
    setOpenRows(next);
    saveOpenRows(
      browserStorage(),
      ROW_IDS.filter((id) => next.has(id)),
    );
    onPanelChange(next.has(rowId) ? rowId : (ROW_IDS.filter((id) => next.has(id)).at(-1) ?? null));
  };

  return [openRows, toggle];
}

/** Returns localStorage, or undefined where the browser blocks it (some private modes). */
function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
