import type { Logger } from 'pino';
import { ruleKey } from './compiled-rule.ts';
import { BudgetBook } from '../budgets/budgets.ts';
import type { ScoreStore } from '../scores/score-store.ts';
import type { Store } from '../store/store.ts';
import { loadAlertingConfig, type AlertingConfig } from './alerting-config.ts';
import type { AlertInstance, AlertStore, SpanMetrics } from './alert-store.ts';
import { Dispatcher } from './dispatcher.ts';
import { Evaluator } from './evaluator.ts';
import { Outbox } from './outbox.ts';
import { RuleRegistry } from './rule-registry.ts';
import { SeriesReader } from './series-reader.ts';
import { sendTestNotification } from './test-notification.ts';

export interface AlertingOptions {
  dataDir: string;
  store: Store;
  alertStore: AlertStore;
  spanMetrics: SpanMetrics;
  scores: ScoreStore;
  logger: Logger;
  now: () => number;
  /** Evaluation interval; 0 turns the timer off, so only `tick()` evaluates (tests drive it that way). */
  intervalMs: number;
  /** How often due outbox records are attempted between evaluations; 0 turns the timer off. */
  outboxIntervalMs: number;
}

/** Status of the last tick, for the API and logs. */
export interface TickReport {
  nowMs: number;
  rules: number;
  firing: number;
  pending: number;
  delivered: number;
}

/**
 * The alerting pipeline with an explicit lifecycle: `start()` loads state and
 * starts the timers, `tick()` evaluates, dispatches and delivers once, and
 * `stop()` waits for a running tick and is idempotent. Ticks never overlap.
 */
export class AlertingService {
  readonly rules: RuleRegistry;
  readonly budgets: BudgetBook;
  readonly alertStore: AlertStore;
  private readonly evaluator: Evaluator;
  private readonly dispatcher: Dispatcher;
  private readonly outbox: Outbox;
  private readonly reader: SeriesReader;
  private readonly logger: Logger;
  private config: AlertingConfig | null = null;
  private muted = new Set<string>();
  private running: Promise<TickReport> | null = null;
  private evaluationTimer: NodeJS.Timeout | null = null;
  private outboxTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private publicUrl = '';
  private skippedTicks = 0;

  constructor(private readonly options: AlertingOptions) {
    this.logger = options.logger.child({ component: 'alerts' });
    this.alertStore = options.alertStore;
    this.rules = new RuleRegistry(options.dataDir, options.alertStore, this.logger);
    this.budgets = new BudgetBook(options.dataDir);
    this.evaluator = new Evaluator(options.alertStore, this.logger);
    this.dispatcher = new Dispatcher(options.alertStore, this.logger);
    this.outbox = new Outbox(options.alertStore, this.logger);
    this.reader = new SeriesReader(options.store, options.spanMetrics, options.scores);
  }

  /** Loads rules and state and starts the timers; `publicUrl` is the dashboard base URL in notification links. */
  async start(publicUrl: string): Promise<void> {
    this.publicUrl = publicUrl;
    this.rules.ensureDefaultPack();
    await this.rules.load();
    this.budgets.load();
    this.config = loadAlertingConfig(this.options.dataDir);
    await this.evaluator.load();
    await this.dispatcher.load();
    if (this.options.intervalMs > 0) {
      this.evaluationTimer = setInterval(() => void this.timerTick(), this.options.intervalMs);
    }
    if (this.options.outboxIntervalMs > 0) {
      this.outboxTimer = setInterval(() => void this.deliverDue(), this.options.outboxIntervalMs);
    }
    this.logger.info(
      {
        publicUrl,
        intervalMs: this.options.intervalMs,
        outboxIntervalMs: this.options.outboxIntervalMs,
        rules: this.rules.rules().length,
        receivers: this.config.receivers.length,
      },
      'alerting started',
    );
  }

  /** Evaluates every rule, dispatches notifications and delivers due outbox records once. */
  tick(): Promise<TickReport> {
    if (this.running !== null) return this.running;
    this.running = this.runTick().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  instances(): AlertInstance[] {
    return this.evaluator.list();
  }

  isMuted(key: string): boolean {
    return this.muted.has(key);
  }

  alertingConfig(): AlertingConfig {
    if (this.config === null) throw new Error('alerting has not started; call start() first');
    return this.config;
  }

  /** Enqueues a test notification for a rule through its route and returns the receivers reached. */
  async sendTest(projectId: string, ruleId: string): Promise<string[]> {
    const rule = this.rules.find(projectId, ruleId);
    if (rule === undefined) return [];
    const records = sendTestNotification(
      rule,
      this.alertingConfig(),
      this.options.now(),
      this.publicUrl,
    );
    await this.alertStore.commitDispatch(records, [], []);
    await this.deliverDue();
    return [...new Set(records.map((record) => record.receiver))];
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.evaluationTimer !== null) clearInterval(this.evaluationTimer);
    if (this.outboxTimer !== null) clearInterval(this.outboxTimer);
    await this.running?.catch(() => undefined);
    await this.alertStore.close();
    this.logger.info({ skippedTicks: this.skippedTicks }, 'alerting stopped');
  }

  private async timerTick(): Promise<void> {
    if (this.running !== null) {
      this.skippedTicks++;
      return;
    }
    try {
      await this.tick();
    } catch (error) {
      this.logger.error({ err: error }, 'alert evaluation failed; the next interval retries');
    }
  }

  private async deliverDue(): Promise<void> {
    if (this.running !== null || this.stopped) return;
    try {
      await this.outbox.deliverDue(this.options.now());
    } catch (error) {
      this.logger.error(
        { err: error },
        'delivering alert notifications failed; the next interval retries',
      );
    }
  }

  private async runTick(): Promise<TickReport> {
    const nowMs = this.options.now();
    this.rules.reloadFiles();
    const rules = this.rules.rules();
    this.reader.beginEvaluation();
    const dataStartMs = new Map<string, number | null>();
    for (const projectId of new Set(rules.map((rule) => rule.projectId)))
      dataStartMs.set(projectId, await this.reader.dataStartMs(projectId));
    await this.evaluator.evaluate(rules, {
      reader: this.reader,
      budgets: this.budgets,
      nowMs,
      dataStartMs,
    });

    const instances = this.evaluator.list();
    const silences = await this.alertStore.listSilences();
    this.muted = await this.dispatcher.dispatch({
      instances,
      rules: new Map(rules.map((rule) => [ruleKey(rule.projectId, rule.id), rule])),
      config: this.alertingConfig(),
      silences,
      nowMs,
      publicUrl: this.publicUrl,
    });

    const delivered = await this.outbox.deliverDue(nowMs);
    return {
      nowMs,
      rules: rules.length,
      firing: instances.filter((instance) => instance.state === 'firing').length,
      pending: instances.filter((instance) => instance.state === 'pending').length,
      delivered,
    };
  }
}
