import { ATTRIBUTE_MAP_TYPE } from './attribute-map.ts';
import { mutationTarget, onCluster, tableName, type ClickHouseLayout } from './layout.ts';

/** Both map columns, as in the spans table of schema version 4. */
export const ATTRIBUTE_MAP_COLUMNS = `attributes_map ${ATTRIBUTE_MAP_TYPE}, resource_attributes_map ${ATTRIBUTE_MAP_TYPE}`;

const ADD_COLUMNS = `ADD COLUMN IF NOT EXISTS attributes_map ${ATTRIBUTE_MAP_TYPE}, ADD COLUMN IF NOT EXISTS resource_attributes_map ${ATTRIBUTE_MAP_TYPE}`;

/**
 * Adds `attributes_map` and `resource_attributes_map` to the spans table. The writer fills
 * them on insert. Rows stored before keep empty maps, except that content retention writes
 * `attributes_map` of each span it blanks.
 */
export function attributeMapSql(layout: ClickHouseLayout): string[] {
  const statements = [`ALTER TABLE ${mutationTarget(layout, 'spans')} ${ADD_COLUMNS}`];
  if (layout.cluster !== null) {
    // The Distributed table reads and inserts by its own column list.
    statements.push(`ALTER TABLE ${tableName(layout, 'spans')}${onCluster(layout)} ${ADD_COLUMNS}`);
  }
  return statements;
}
