import type { DuckDBAppender, DuckDBInstance } from '@duckdb/node-api';
import type {
  ScoreAggregate,
  ScoreQuery,
  ScoreRecord,
  ScoreSeries,
  ScoreStore,
} from '../../../scores/score-store.ts';
import type { FilterName } from '../../store.ts';
import { GROUP_COLUMNS } from '../sql.ts';
import { spansVisible } from '../span-visibility.ts';
import {
  SerialConnection,
  toNumber,
  toStringOrNull,
  type Param,
  type Row,
} from '../alerts/serial-connection.ts';
import { setEntry } from '../../../lookup-table.ts';

const SCHEMA = `CREATE TABLE IF NOT EXISTS scores (
  id VARCHAR NOT NULL, trace_id VARCHAR, span_id VARCHAR, name VARCHAR NOT NULL,
  data_type VARCHAR NOT NULL, numeric_value DOUBLE, categorical_value VARCHAR,
  source VARCHAR NOT NULL, comment VARCHAR, timestamp_ms BIGINT NOT NULL)`;

/** Files created before projects get the column here; their scores belong to `default`. */
const PROJECT_COLUMN =
  "ALTER TABLE scores ADD COLUMN IF NOT EXISTS project_id VARCHAR DEFAULT 'default'";

/** Ids per DELETE statement when replacing scores. */
const DELETE_CHUNK = 500;

const ATTRIBUTION_COLUMNS = [
  'model',
  'tenant',
  'feature',
  'service_name',
  'provider',
  'environment',
  'response_model',
  'operation',
  'error_type',
  'registered_model',
];

const FILTER_COLUMNS: Readonly<Record<FilterName, string>> = {
  service: 'service_name',
  environment: 'environment',
  model: 'model',
  provider: 'provider',
  tenant: 'tenant',
  feature: 'feature',
  registeredModel: 'registered_model',
};

/** Opens the scores table in the DuckDB file behind the span store. */
export async function openDuckDbScoreStore(instance: DuckDBInstance): Promise<ScoreStore> {
  const connection = new SerialConnection(await instance.connect());
  await connection.exclusive(async (run) => {
    await run.exec(SCHEMA, []);
    await run.exec(PROJECT_COLUMN, []);
  });
  return new DuckDbScoreStore(connection, instance);
}

class DuckDbScoreStore implements ScoreStore {
  constructor(
    private readonly db: SerialConnection,
    private readonly instance: DuckDBInstance,
  ) {}

  /**
   * Deletes scores whose ids return in the same project, then appends all rows; the
   * appender keeps bulk posts fast.
   */
  async upsert(scores: readonly ScoreRecord[]): Promise<void> {
    for (let i = 0; i < scores.length; i += DELETE_CHUNK) {
      const keys = scores.slice(i, i + DELETE_CHUNK).map((score) => projectKey(score));
      const placeholders = keys.map((_key, index) => `$${index + 1}`).join(', ');
      await this.db.exclusive((run) =>
        run.exec(`DELETE FROM scores WHERE project_id || chr(0) || id IN (${placeholders})`, keys),
      );
    }
    await this.db.append('scores', (appender) => {
      for (const score of scores) appendScore(appender, score);
    });
  }

  async summary(query: ScoreQuery): Promise<ScoreAggregate[]> {
    const rows = await this.aggregateRows(query, null);
    return [...foldRows(rows).values()].map((entry) => entry.aggregate);
  }

  async timeseries(query: ScoreQuery, stepMs: number): Promise<ScoreSeries[]> {
    const rows = await this.aggregateRows(query, stepMs);
    const series = new Map<string, ScoreSeries>();
    for (const { aggregate, t } of foldRows(rows).values()) {
      const id = `${aggregate.key}\u0000${aggregate.name}`;
      let entry = series.get(id);
      if (!entry) {
        entry = { key: aggregate.key, name: aggregate.name, points: [] };
        series.set(id, entry);
      }
      entry.points.push({ t, ...aggregate });
    }
    for (const entry of series.values()) entry.points.sort((a, b) => a.t - b.t);
    return [...series.values()];
  }

  /** One row per group, score name, bucket and category, with sums for the mean and standard deviation. */
  private async aggregateRows(query: ScoreQuery, stepMs: number | null): Promise<Row[]> {
    const params: Param[] = [query.fromUnixMs, query.toUnixMs, query.projectId];
    const nameClause = query.name === null ? '' : ` AND name = $${params.push(query.name)}`;
    const filterClauses = Object.entries(query.filters)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${FILTER_COLUMNS[name as FilterName]} = $${params.push(value!)}`);
    const keyColumn = query.groupBy === null ? 'NULL' : GROUP_COLUMNS[query.groupBy];
    const bucket =
      stepMs === null ? '0' : `(timestamp_ms // ${Math.floor(stepMs)}) * ${Math.floor(stepMs)}`;
    const sql = `${attributedScores(nameClause)}
      SELECT ${keyColumn} AS key, name, ${bucket} AS t, categorical_value AS category,
        count(*) AS n, sum(numeric_value) AS total, sum(numeric_value * numeric_value) AS total_sq
      FROM scored ${filterClauses.length === 0 ? '' : `WHERE ${filterClauses.join(' AND ')}`}
      GROUP BY key, name, t, category ORDER BY key NULLS LAST, name, t`;
    // The scores take the attribution of their calls from the spans table.
    await spansVisible(this.instance);
    return this.db.exclusive((run) => run.read(sql, params));
  }
}

/** Score ids are unique within a project; the key joins both with a separator no id holds. */
function projectKey(score: ScoreRecord): string {
  return `${score.projectId}\u0000${score.id}`;
}

function appendScore(appender: DuckDBAppender, score: ScoreRecord): void {
  const text = (value: string | null): void =>
    value === null ? appender.appendNull() : appender.appendVarchar(value);
  appender.appendVarchar(score.id);
  text(score.traceId);
  text(score.spanId);
  appender.appendVarchar(score.name);
  appender.appendVarchar(score.dataType);
  if (score.numericValue === null) appender.appendNull();
  else appender.appendDouble(score.numericValue);
  text(score.categoricalValue);
  appender.appendVarchar(score.source);
  text(score.comment);
  appender.appendBigInt(BigInt(Math.round(score.timestampUnixMs)));
  appender.appendVarchar(score.projectId);
  appender.endRow();
}

/**
 * Attributes each score in the window to an LLM call: the scored span when the
 * score names one, else the first LLM call of the scored trace.
 */
function attributedScores(nameClause: string): string {
  const first = ATTRIBUTION_COLUMNS.map(
    (column) => `arg_min(${column}, start_ns) AS ${column}`,
  ).join(', ');
  const chosen = ATTRIBUTION_COLUMNS.map(
    (column) => `coalesce(direct.${column}, first.${column}) AS ${column}`,
  ).join(', ');
  return `WITH sc AS (
      SELECT * FROM scores
      WHERE timestamp_ms >= $1 AND timestamp_ms < $2 AND project_id = $3${nameClause}),
    calls AS (
      SELECT trace_id, span_id, start_ns, ${ATTRIBUTION_COLUMNS.join(', ')} FROM spans
      WHERE is_llm_call AND project_id = $3 AND (trace_id IN (SELECT trace_id FROM sc) OR span_id IN (SELECT span_id FROM sc))),
    first AS (SELECT trace_id, ${first} FROM calls GROUP BY trace_id),
    scored AS (
      SELECT sc.name, sc.timestamp_ms, sc.numeric_value, sc.categorical_value, ${chosen}
      FROM sc
      LEFT JOIN calls direct ON direct.span_id = sc.span_id AND (sc.trace_id IS NULL OR direct.trace_id = sc.trace_id)
      LEFT JOIN first ON first.trace_id = sc.trace_id)`;
}

interface FoldedAggregate {
  aggregate: ScoreAggregate;
  t: number;
  sum: number;
  sumSq: number;
  numericCount: number;
}

function foldRows(rows: Row[]): Map<string, FoldedAggregate> {
  const folded = new Map<string, FoldedAggregate>();
  for (const row of rows) {
    const key = toStringOrNull(row.key);
    const name = String(row.name);
    const t = toNumber(row.t);
    const id = `${key}\u0000${name}\u0000${t}`;
    let entry = folded.get(id);
    if (!entry) {
      entry = {
        aggregate: { key, name, count: 0, mean: null, stddev: null, categories: {} },
        t,
        sum: 0,
        sumSq: 0,
        numericCount: 0,
      };
      folded.set(id, entry);
    }
    addRow(entry, row);
  }
  return folded;
}

function addRow(entry: FoldedAggregate, row: Row): void {
  const count = toNumber(row.n);
  entry.aggregate.count += count;
  const category = toStringOrNull(row.category);
  if (category !== null) {
    const categories = entry.aggregate.categories;
    setEntry(
      categories,
      category,
      (Object.hasOwn(categories, category) ? categories[category]! : 0) + count,
    );
    return;
  }
  entry.numericCount += count;
  entry.sum += toNumber(row.total);
  entry.sumSq += toNumber(row.total_sq);
  const n = entry.numericCount;
  entry.aggregate.mean = entry.sum / n;
  const variance =
    n > 1 ? Math.max(0, (entry.sumSq - (entry.sum * entry.sum) / n) / (n - 1)) : null;
  entry.aggregate.stddev = variance === null ? null : Math.sqrt(variance);
}
