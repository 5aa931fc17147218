import type { Logger } from 'pino';
import { ConfigError } from '../errors.ts';
import type { ScoreStore } from '../scores/score-store.ts';
import { openDuckDbAlertStore } from '../store/duckdb/alerts/duckdb-alert-store.ts';
import { openDuckDbSpanMetrics } from '../store/duckdb/alerts/span-metrics.ts';
import { duckDbInstanceOf } from '../store/duckdb/duckdb-store.ts';
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
  logger: Logger;
  now: () => number;
  intervalMs?: number;
  outboxIntervalMs?: number;
}

/** Opens the alerting and score tables in the store's DuckDB file and builds the (not yet started) service. */
export async function openAlerting(
  setup: AlertingSetup,
): Promise<{ alerting: AlertingService; scores: ScoreStore }> {
  const instance = duckDbInstanceOf(setup.store);
  if (instance === null)
    throw new ConfigError(
      'alerting needs the DuckDB store; other store backends have no alert tables',
    );
  const scores = await openDuckDbScoreStore(instance);
  const alerting = new AlertingService({
    dataDir: setup.dataDir,
    store: setup.store,
    alertStore: await openDuckDbAlertStore(instance),
    spanMetrics: await openDuckDbSpanMetrics(instance),
    scores,
    logger: setup.logger,
    now: setup.now,
    intervalMs: setup.intervalMs ?? ALERTING_DEFAULTS.intervalMs,
    outboxIntervalMs: setup.outboxIntervalMs ?? ALERTING_DEFAULTS.outboxIntervalMs,
  });
  return { alerting, scores };
}
