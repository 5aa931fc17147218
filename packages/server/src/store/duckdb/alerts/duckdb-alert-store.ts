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
  storedSecretColumns,
} from './alert-rows.ts';
import { ALERT_SCHEMA_STATEMENTS } from './alert-schema.ts';
import { SealedDataError } from '../../../crypto/secret-box.ts';
import {
  dataDirSecretsKey,
  openOutboxColumns,
  sealOutboxColumns,
  unreadableRowError,
} from './outbox-secrets.ts';
import {
  SerialConnection,
  toNumber,
  type Param,
  type Row,
  type RunFunctions,
} from './serial-connection.ts';

export interface AlertStoreOptions {
  /**
   * Key that seals the receiver URLs, headers and bodies of the outbox; default
   * the secrets key of the data directory that contains the DuckDB file.
   */
  secretsKey?: Buffer;
}

/** Opens the alerting tables in the DuckDB file behind the span store. */
export async function openDuckDbAlertStore(
  instance: DuckDBInstance,
  options: AlertStoreOptions = {},
): Promise<AlertStore> {
  const connection = new SerialConnection(await instance.connect());
  const secretsKey = await connection.exclusive(async (run) => {
    for (const statement of ALERT_SCHEMA_STATEMENTS) await run.exec(statement, []);
    const key = options.secretsKey ?? (await dataDirSecretsKey(run));
    await sealPlainOutboxRows(run, key);
    return key;
  });
  return new DuckDbAlertStore(connection, secretsKey);
}

/** Seals the secret columns of rows written before the outbox sealed them; `sealSecret` values start with `sealed:`. */
async function sealPlainOutboxRows(run: RunFunctions, key: Buffer): Promise<void> {
  const rows = await run.read(
    `SELECT id, url, headers, body FROM alert_outbox WHERE url NOT LIKE 'sealed:%'`,
    [],
  );
  for (const row of rows) {
    const sealed = sealOutboxColumns(key, storedSecretColumns(row));
    await run.exec('UPDATE alert_outbox SET url = $2, headers = $3, body = $4 WHERE id = $1', [
      String(row.id),
      sealed.url,
      sealed.headers,
      sealed.body,
    ]);
  }
}

class DuckDbAlertStore implements AlertStore {
  constructor(
    private readonly db: SerialConnection,
    private readonly secretsKey: Buffer,
  ) {}

  loadInstances(): Promise<AlertInstance[]> {
    return this.db.exclusive(async (run) =>
      (await run.read('SELECT * FROM alert_instances ORDER BY rule_id, fingerprint', [])).map(
        rowToInstance,
      ),
    );
  }

  commitEvaluation(
    upserts: readonly AlertInstance[],
    deletes: readonly { projectId: string; ruleId: string; fingerprint: string }[],
    history: readonly AlertHistoryEntry[],
  ): Promise<void> {
    if (upserts.length === 0 && deletes.length === 0 && history.length === 0)
      return Promise.resolve();
    return this.db.transaction(async (run) => {
      for (const key of [...deletes, ...upserts]) {
        await run.exec(
          'DELETE FROM alert_instances WHERE rule_id = $1 AND fingerprint = $2 AND project_id = $3',
          [key.ruleId, key.fingerprint, key.projectId],
        );
      }
      for (const instance of upserts) await run.exec(INSTANCE_INSERT, instanceParams(instance));
      for (const entry of history) await run.exec(HISTORY_INSERT, historyParams(entry));
    });
  }

  listHistory(query: HistoryQuery): Promise<AlertHistoryEntry[]> {
    const ruleClause = query.ruleId === null ? '' : ' AND rule_id = $4';
    const params = [query.fromMs, query.toMs, query.projectId];
    if (query.ruleId !== null) params.push(query.ruleId);
    return this.db.exclusive(async (run) =>
      (
        await run.read(
          `SELECT * FROM alert_history WHERE at_ms >= $1 AND at_ms < $2 AND project_id = $3${ruleClause}
           ORDER BY at_ms DESC, rule_id, fingerprint LIMIT ${Math.floor(query.limit)}`,
          params,
        )
      ).map(rowToHistory),
    );
  }

  listApiRules(): Promise<StoredRule[]> {
    return this.db.exclusive(async (run) =>
      (await run.read('SELECT * FROM alert_rules ORDER BY project_id, id', [])).map((row) => ({
        projectId: String(row.project_id),
        id: String(row.id),
        spec: JSON.parse(String(row.spec)) as unknown,
        updatedMs: toNumber(row.updated_ms),
      })),
    );
  }

  upsertApiRule(rule: StoredRule): Promise<void> {
    return this.db.transaction(async (run) => {
      await run.exec('DELETE FROM alert_rules WHERE id = $1 AND project_id = $2', [
        rule.id,
        rule.projectId,
      ]);
      await run.exec('INSERT INTO alert_rules VALUES ($1, $2, $3, $4)', [
        rule.id,
        JSON.stringify(rule.spec),
        rule.updatedMs,
        rule.projectId,
      ]);
    });
  }

  deleteApiRule(projectId: string, id: string): Promise<boolean> {
    return this.db.exclusive(async (run) => {
      const where = 'WHERE id = $1 AND project_id = $2';
      const found = await run.read(`SELECT count(*) AS n FROM alert_rules ${where}`, [
        id,
        projectId,
      ]);
      await run.exec(`DELETE FROM alert_rules ${where}`, [id, projectId]);
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
      await run.exec('INSERT INTO alert_silences VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        silence.id,
        JSON.stringify(silence.matchers),
        silence.startsAtMs,
        silence.endsAtMs,
        silence.createdBy,
        silence.comment,
        silence.projectId,
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
      for (const record of records) await run.exec(OUTBOX_INSERT, this.sealedParams(record));
      for (const key of [...deletedGroupKeys, ...log.map((entry) => entry.groupKey)]) {
        await run.exec('DELETE FROM alert_notification_log WHERE group_key = $1', [key]);
      }
      for (const entry of log) await run.exec(LOG_INSERT, logParams(entry));
    });
  }

  /** Due pending records; a record whose secrets cannot be opened is marked failed instead. */
  dueOutbox(nowMs: number, limit: number): Promise<OutboxRecord[]> {
    return this.db.exclusive(async (run) => {
      const rows = await run.read(
        `SELECT * FROM alert_outbox WHERE status = 'pending' AND next_attempt_ms <= $1
         ORDER BY next_attempt_ms, created_ms, id LIMIT ${Math.floor(limit)}`,
        [nowMs],
      );
      const due: OutboxRecord[] = [];
      for (const row of rows) {
        const record = this.openRow(row);
        if (!(record instanceof SealedDataError)) {
          due.push(record);
          continue;
        }
        await run.exec(
          `UPDATE alert_outbox SET status = 'failed', last_error = $2, next_attempt_ms = $3 WHERE id = $1`,
          [String(row.id), unreadableRowError(record), nowMs],
        );
      }
      return due;
    });
  }

  /** Records for the API, which never returns URLs, headers or bodies; unreadable secrets come back empty. */
  listOutbox(
    projectId: string,
    status: OutboxStatus | null,
    limit: number,
  ): Promise<OutboxRecord[]> {
    const where =
      status === null ? 'WHERE project_id = $1' : 'WHERE project_id = $1 AND status = $2';
    return this.db.exclusive(async (run) =>
      (
        await run.read(
          `SELECT * FROM alert_outbox ${where} ORDER BY created_ms, id LIMIT ${Math.floor(limit)}`,
          status === null ? [projectId] : [projectId, status],
        )
      ).map((row) => {
        const record = this.openRow(row);
        if (!(record instanceof SealedDataError)) return record;
        return rowToOutbox(row, { url: '', headers: '{}', body: '' });
      }),
    );
  }

  private sealedParams(record: OutboxRecord): Param[] {
    const plain = { url: record.url, headers: JSON.stringify(record.headers), body: record.body };
    return outboxParams(record, sealOutboxColumns(this.secretsKey, plain));
  }

  private openRow(row: Row): OutboxRecord | SealedDataError {
    try {
      return rowToOutbox(row, openOutboxColumns(this.secretsKey, storedSecretColumns(row)));
    } catch (error) {
      if (error instanceof SealedDataError) return error;
      throw error;
    }
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
