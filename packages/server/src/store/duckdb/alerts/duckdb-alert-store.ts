import type { DuckDBInstance } from '@duckdb/node-api';
import type {
  AlertHistoryEntry,
  AlertInstance,
  AlertStore,
  HistoryQuery,
  NotificationLogEntry,
  OutboxRecord,
  OutboxStatus,
  Silence,
  StoredRule,
} from '../../../alerts/alert-store.ts';
import {
  HISTORY_INSERT,
  INSTANCE_INSERT,
  LOG_INSERT,
  OUTBOX_INSERT,
  historyParams,
  instanceParams,
  logParams,
  outboxParams,
  rowToHistory,
  rowToInstance,
  rowToLog,
  rowToOutbox,
  rowToSilence,
} from './alert-rows.ts';
import { ALERT_SCHEMA_STATEMENTS } from './alert-schema.ts';
import { SerialConnection, toNumber } from './serial-connection.ts';

/** Opens the alerting tables in the DuckDB file behind the span store. */
export async function openDuckDbAlertStore(instance: DuckDBInstance): Promise<AlertStore> {
  const connection = new SerialConnection(await instance.connect());
  await connection.exclusive(async (run) => {
    for (const statement of ALERT_SCHEMA_STATEMENTS) await run.exec(statement, []);
  });
  return new DuckDbAlertStore(connection);
}

class DuckDbAlertStore implements AlertStore {
  constructor(private readonly db: SerialConnection) {}

  loadInstances(): Promise<AlertInstance[]> {
    return this.db.exclusive(async (run) =>
      (await run.read('SELECT * FROM alert_instances ORDER BY rule_id, fingerprint', [])).map(
        rowToInstance,
      ),
    );
  }

  commitEvaluation(
    upserts: readonly AlertInstance[],
    deletes: readonly { ruleId: string; fingerprint: string }[],
    history: readonly AlertHistoryEntry[],
  ): Promise<void> {
    if (upserts.length === 0 && deletes.length === 0 && history.length === 0)
      return Promise.resolve();
    return this.db.transaction(async (run) => {
      for (const key of [...deletes, ...upserts]) {
        await run.exec('DELETE FROM alert_instances WHERE rule_id = $1 AND fingerprint = $2', [
          key.ruleId,
          key.fingerprint,
        ]);
      }
      for (const instance of upserts) await run.exec(INSTANCE_INSERT, instanceParams(instance));
      for (const entry of history) await run.exec(HISTORY_INSERT, historyParams(entry));
    });
  }

  listHistory(query: HistoryQuery): Promise<AlertHistoryEntry[]> {
    const ruleClause = query.ruleId === null ? '' : ' AND rule_id = $3';
    const params =
      query.ruleId === null ? [query.fromMs, query.toMs] : [query.fromMs, query.toMs, query.ruleId];
    return this.db.exclusive(async (run) =>
      (
        await run.read(
          `SELECT * FROM alert_history WHERE at_ms >= $1 AND at_ms < $2${ruleClause}
           ORDER BY at_ms DESC, rule_id, fingerprint LIMIT ${Math.floor(query.limit)}`,
          params,
        )
      ).map(rowToHistory),
    );
  }

  listApiRules(): Promise<StoredRule[]> {
    return this.db.exclusive(async (run) =>
      (await run.read('SELECT * FROM alert_rules ORDER BY id', [])).map((row) => ({
        id: String(row.id),
        spec: JSON.parse(String(row.spec)) as unknown,
        updatedMs: toNumber(row.updated_ms),
      })),
    );
  }

  upsertApiRule(rule: StoredRule): Promise<void> {
    return this.db.transaction(async (run) => {
      await run.exec('DELETE FROM alert_rules WHERE id = $1', [rule.id]);
      await run.exec('INSERT INTO alert_rules VALUES ($1, $2, $3)', [
        rule.id,
        JSON.stringify(rule.spec),
        rule.updatedMs,
      ]);
    });
  }

  deleteApiRule(id: string): Promise<boolean> {
    return this.db.exclusive(async (run) => {
      const found = await run.read('SELECT count(*) AS n FROM alert_rules WHERE id = $1', [id]);
      await run.exec('DELETE FROM alert_rules WHERE id = $1', [id]);
      return toNumber(found[0]?.n) > 0;
    });
  }

  listSilences(): Promise<Silence[]> {
    return this.db.exclusive(async (run) =>
      (await run.read('SELECT * FROM alert_silences ORDER BY starts_at_ms, id', [])).map(
        rowToSilence,
      ),
    );
  }

  upsertSilence(silence: Silence): Promise<void> {
    return this.db.transaction(async (run) => {
      await run.exec('DELETE FROM alert_silences WHERE id = $1', [silence.id]);
      await run.exec('INSERT INTO alert_silences VALUES ($1, $2, $3, $4, $5, $6)', [
        silence.id,
        JSON.stringify(silence.matchers),
        silence.startsAtMs,
        silence.endsAtMs,
        silence.createdBy,
        silence.comment,
      ]);
    });
  }

  loadNotificationLog(): Promise<NotificationLogEntry[]> {
    return this.db.exclusive(async (run) =>
      (await run.read('SELECT * FROM alert_notification_log ORDER BY group_key', [])).map(rowToLog),
    );
  }

  commitDispatch(
    records: readonly OutboxRecord[],
    log: readonly NotificationLogEntry[],
    deletedGroupKeys: readonly string[],
  ): Promise<void> {
    if (records.length === 0 && log.length === 0 && deletedGroupKeys.length === 0)
      return Promise.resolve();
    return this.db.transaction(async (run) => {
      for (const record of records) await run.exec(OUTBOX_INSERT, outboxParams(record));
      for (const key of [...deletedGroupKeys, ...log.map((entry) => entry.groupKey)]) {
        await run.exec('DELETE FROM alert_notification_log WHERE group_key = $1', [key]);
      }
      for (const entry of log) await run.exec(LOG_INSERT, logParams(entry));
    });
  }

  dueOutbox(nowMs: number, limit: number): Promise<OutboxRecord[]> {
    return this.db.exclusive(async (run) =>
      (
        await run.read(
          `SELECT * FROM alert_outbox WHERE status = 'pending' AND next_attempt_ms <= $1
           ORDER BY next_attempt_ms, created_ms, id LIMIT ${Math.floor(limit)}`,
          [nowMs],
        )
      ).map(rowToOutbox),
    );
  }

  listOutbox(status: OutboxStatus | null, limit: number): Promise<OutboxRecord[]> {
    const where = status === null ? '' : 'WHERE status = $1';
    return this.db.exclusive(async (run) =>
      (
        await run.read(
          `SELECT * FROM alert_outbox ${where} ORDER BY created_ms, id LIMIT ${Math.floor(limit)}`,
          status === null ? [] : [status],
        )
      ).map(rowToOutbox),
    );
  }

  updateOutbox(record: OutboxRecord): Promise<void> {
    return this.db.exclusive(async (run) => {
      await run.exec(
        `UPDATE alert_outbox SET attempts = $2, next_attempt_ms = $3, status = $4, last_error = $5, delivered_ms = $6 WHERE id = $1`,
        [
          record.id,
          record.attempts,
          record.nextAttemptMs,
          record.status,
          record.lastError,
          record.deliveredMs,
        ],
      );
    });
  }

  async close(): Promise<void> {
    await this.db.exclusive(async () => undefined);
    this.db.close();
  }
}
