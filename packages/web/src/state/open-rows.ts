import { isRowId, type RowId } from './rows.ts';

/** localStorage key of the rows the user left open. */
export const OPEN_ROWS_STORAGE_KEY = 'foghorn.dashboard.openRows';

/** Reads the open rows; storage that is missing, blocked or malformed means all closed. */
export function loadOpenRows(storage: Storage | undefined): RowId[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(OPEN_ROWS_STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is RowId => isRowId(String(id))) : [];
  } catch {
    return [];
  }
}

/** Stores the open rows; a full or blocked storage only loses the remembered state. */
export function saveOpenRows(storage: Storage | undefined, rowIds: RowId[]): void {
  try {
    storage?.setItem(OPEN_ROWS_STORAGE_KEY, JSON.stringify(rowIds));
  } catch {
    // The page works without remembered rows, so a storage failure is not shown.
  }
}
