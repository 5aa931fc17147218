import type { DuckDBConnection } from '@duckdb/node-api';
import type { AttributeValue, Attributes } from '../../ingest/otlp/otlp-model.ts';
import type { StoredLogRecord } from '../../logs/log-record.ts';
import { fillAppender } from './appender-values.ts';
import { toJson } from './json.ts';
import type { Row } from './rows.ts';

export const LOGS_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS log_records (
    time_ns BIGINT NOT NULL, observed_time_ns BIGINT NOT NULL, severity_number INTEGER NOT NULL,
    severity_text VARCHAR NOT NULL, body VARCHAR NOT NULL, attributes VARCHAR NOT NULL,
    resource_attributes VARCHAR NOT NULL, service_name VARCHAR NOT NULL, scope_name VARCHAR NOT NULL,
    trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, event_name VARCHAR NOT NULL)`,
  // Files created before projects get the column here; their records belong to `default`.
  "ALTER TABLE log_records ADD COLUMN IF NOT EXISTS project_id VARCHAR DEFAULT 'default'",
];

export async function insertLogRecords(
  connection: DuckDBConnection,
  projectId: string,
  records: readonly StoredLogRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await fillAppender(connection, 'log_records', (appender) => {
    for (const record of records) {
      appender.appendBigInt(record.timeUnixNano);
      appender.appendBigInt(record.observedTimeUnixNano);
      appender.appendInteger(record.severityNumber);
      appender.appendVarchar(record.severityText);
      appender.appendVarchar(toJson(record.body));
      appender.appendVarchar(toJson(record.attributes));
      appender.appendVarchar(toJson(record.resourceAttributes));
      appender.appendVarchar(record.serviceName);
      appender.appendVarchar(record.scopeName);
      appender.appendVarchar(record.traceId);
      appender.appendVarchar(record.spanId);
      appender.appendVarchar(record.eventName);
      appender.appendVarchar(projectId);
      appender.endRow();
    }
  });
}

export async function selectTraceLogs(
  connection: DuckDBConnection,
  projectId: string,
  traceId: string,
): Promise<StoredLogRecord[]> {
  const reader = await connection.runAndReadAll(
    'SELECT * FROM log_records WHERE project_id = $1 AND trace_id = $2 ORDER BY time_ns',
    [projectId, traceId],
  );
  return (reader.getRowObjects() as Row[]).map((row) => ({
    timeUnixNano: BigInt(row.time_ns as bigint),
    observedTimeUnixNano: BigInt(row.observed_time_ns as bigint),
    severityNumber: Number(row.severity_number),
    severityText: String(row.severity_text),
    body: JSON.parse(String(row.body)) as AttributeValue,
    attributes: JSON.parse(String(row.attributes)) as Attributes,
    resourceAttributes: JSON.parse(String(row.resource_attributes)) as Attributes,
    serviceName: String(row.service_name),
    scopeName: String(row.scope_name),
    traceId: String(row.trace_id),
    spanId: String(row.span_id),
    eventName: String(row.event_name),
  }));
}
