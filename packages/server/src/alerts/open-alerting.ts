import type { DuckDBInstance } from '@duckdb/node-api';
import type { Logger } from 'pino';
import type { DuckDbEncryption } from '../crypto/duckdb-encryption.ts';
import { loadSecretsKey } from '../crypto/secrets-key.ts';
import type { ScoreStore } from '../scores/score-store.ts';
import { openDuckDbAlertStore } from '../store/duckdb/alerts/duckdb-alert-store.ts';
import { openDuckDbSpanMetrics } from '../store/duckdb/alerts/span-metrics.ts';
import { openDuckDbScoreStore } from '../store/duckdb/scores/duckdb-score-store.ts';
import type { Store } from '../store/store.ts';
import { AlertingService } from './alerting-service.ts';

/** Evaluation and delivery settings, with their defaults in one frozen object. */
export const ALERTING_DEFAULTS = Object.freeze({
  intervalMs: 15_000,
  outboxIntervalMs: 2_000,
});

export interface AlertingSetup {
  dataDir: string;
  store: Store;
  /** The process's DuckDB instance, which holds alert state, the outbox and scores. */
  duckDb: DuckDBInstance;
  /**
   * The master key settings, when set. The outbox is then sealed with a key derived
   * from the master key, and no `secrets.key` file is written to the data directory.
   */
  encryption?: DuckDbEncryption | null;
  logger: Logger;
  now: () => number;
  intervalMs?: number;
  outboxIntervalMs?: number;
}

/** Opens the alerting and score tables in the DuckDB instance and builds the (not yet started) service. */
export async function openAlerting(
  setup: AlertingSetup,
): Promise<{ alerting: AlertingService; scores: ScoreStore }> {
  const instance = setup.duckDb;
  const scores = await openDuckDbScoreStore(instance);
  const alerting = new AlertingService({
    dataDir: setup.dataDir,
    store: setup.store,
    alertStore: await openDuckDbAlertStore(instance, {
      secretsKey: loadSecretsKey(setup.dataDir, setup.encryption?.key ?? null),
    }),
    spanMetrics: await openDuckDbSpanMetrics(instance),
    scores,
    logger: setup.logger,
    now: setup.now,
    intervalMs: setup.intervalMs ?? ALERTING_DEFAULTS.intervalMs,
    outboxIntervalMs: setup.outboxIntervalMs ?? ALERTING_DEFAULTS.outboxIntervalMs,
  });
  return { alerting, scores };
}
