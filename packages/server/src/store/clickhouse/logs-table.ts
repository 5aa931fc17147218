import type { AttributeValue, Attributes } from '../../ingest/otlp/otlp-model.ts';
import type { StoredLogRecord } from '../../logs/log-record.ts';
import { toJson } from '../duckdb/json.ts';
import type { ClickHouseDriver } from './driver.ts';
import { Params } from './sql.ts';
import { dateTime64Text, nanos, num, str } from './values.ts';

export async function insertLogRecords(
  driver: ClickHouseDriver,
  table: string,
  projectId: string,
  records: readonly StoredLogRecord[],
): Promise<void> {
  await driver.insert(
    table,
    records.map((record) => ({
      project_id: projectId,
      time: dateTime64Text(record.timeUnixNano),
      observed_time: dateTime64Text(record.observedTimeUnixNano),
      severity_number: record.severityNumber,
      severity_text: record.severityText,
      body: toJson(record.body),
      attributes: toJson(record.attributes),
      resource_attributes: toJson(record.resourceAttributes),
      service_name: record.serviceName,
      scope_name: record.scopeName,
      trace_id: record.traceId,
      span_id: record.spanId,
      event_name: record.eventName,
    })),
  );
}

/** Reads the log records of one trace of a project by time. */
export async function selectTraceLogs(
  driver: ClickHouseDriver,
  table: string,
  projectId: string,
  traceId: string,
): Promise<StoredLogRecord[]> {
  const params = new Params();
  const rows = await driver.query(
    `SELECT * EXCEPT (time, observed_time), toString(toUnixTimestamp64Nano(time)) AS time_ns,
       toString(toUnixTimestamp64Nano(observed_time)) AS observed_ns
     FROM ${table}
     WHERE project_id = ${params.add(projectId, 'String')} AND trace_id = ${params.add(traceId, 'String')}
     ORDER BY time`,
    params.values,
  );
  return rows.map((row) => ({
    timeUnixNano: nanos(row.time_ns),
    observedTimeUnixNano: nanos(row.observed_ns),
    severityNumber: num(row.severity_number),
    severityText: str(row.severity_text),
    body: JSON.parse(str(row.body)) as AttributeValue,
    attributes: JSON.parse(str(row.attributes)) as Attributes,
    resourceAttributes: JSON.parse(str(row.resource_attributes)) as Attributes,
    serviceName: str(row.service_name),
    scopeName: str(row.scope_name),
    traceId: str(row.trace_id),
    spanId: str(row.span_id),
    eventName: str(row.event_name),
  }));
}
