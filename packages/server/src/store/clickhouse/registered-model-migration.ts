import { mutationTarget, tableName, onCluster, type ClickHouseLayout } from './layout.ts';
import { REGISTERED_MODEL_COLUMN, ROLLUP_DIMENSIONS, rollupViewSql } from './schema.ts';

/**
 * Adds `registered_model` to the spans and the per-minute rollup, and appends it to the
 * rollup's sorting key, so rows of two versions are never merged into one. ClickHouse
 * accepts a column in MODIFY ORDER BY only when the same ALTER adds it, and with IF NOT
 * EXISTS the pair is a no-op on tables created with the column. The materialized view is
 * recreated so it fills the new column; rows written before carry NULL, as their spans do.
 */
export function registeredModelSql(layout: ClickHouseLayout): string[] {
  const sortingKey = `project_id, period_start, ${ROLLUP_DIMENSIONS.slice(1).join(', ')}`;
  const statements = [
    `ALTER TABLE ${mutationTarget(layout, 'spans')} ADD COLUMN IF NOT EXISTS ${REGISTERED_MODEL_COLUMN}`,
    `ALTER TABLE ${mutationTarget(layout, 'span_rollup_1m')} ADD COLUMN IF NOT EXISTS ${REGISTERED_MODEL_COLUMN}, MODIFY ORDER BY (${sortingKey})`,
  ];
  if (layout.cluster !== null) {
    // The Distributed tables read and insert by their own column list.
    for (const base of ['spans', 'span_rollup_1m']) {
      statements.push(
        `ALTER TABLE ${tableName(layout, base)}${onCluster(layout)} ADD COLUMN IF NOT EXISTS ${REGISTERED_MODEL_COLUMN}`,
      );
    }
  }
  // NOTE: spans another node inserts between the DROP and the CREATE get no rollup rows
  // until the next rebuild of their window.
  statements.push(
    `DROP VIEW IF EXISTS ${tableName(layout, 'span_rollup_1m_mv')}${onCluster(layout)}`,
    rollupViewSql(layout),
  );
  return statements;
}
