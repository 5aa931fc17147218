/** Counters of one demo run. */
export interface DemoStats {
  phase: 'starting' | 'backfill' | 'live' | 'finished' | 'stopped';
  /** Model calls to the mock provider that succeeded or failed; calls cancelled at shutdown are not counted. */
  requestsSent: number;
  /** Model calls by outcome: `ok` or the `error.type` recorded on the span. */
  requestsByOutcome: Record<string, number>;
  /** Application requests (one trace each) started in backfill and in live traffic. */
  backfillTraces: number;
  liveTraces: number;
  /** Live requests cancelled at shutdown; their spans are not exported. */
  cancelledTraces: number;
  spansExported: number;
  spansFailed: number;
}

/** Collects `DemoStats`; span counts come from the exporters when a snapshot is taken. */
export class StatsRecorder {
  private readonly stats: DemoStats = {
    phase: 'starting',
    requestsSent: 0,
    requestsByOutcome: {},
    backfillTraces: 0,
    liveTraces: 0,
    cancelledTraces: 0,
    spansExported: 0,
    spansFailed: 0,
  };

  setPhase(phase: DemoStats['phase']): void {
    this.stats.phase = phase;
  }

  recordCall(outcome: string): void {
    this.stats.requestsSent += 1;
    this.stats.requestsByOutcome[outcome] = (this.stats.requestsByOutcome[outcome] ?? 0) + 1;
  }

  recordTrace(simulated: boolean): void {
    if (simulated) this.stats.backfillTraces += 1;
    else this.stats.liveTraces += 1;
  }

  recordCancelled(): void {
    this.stats.cancelledTraces += 1;
  }

  snapshot(spans: { exported: number; failed: number }): DemoStats {
    return {
      ...this.stats,
      requestsByOutcome: { ...this.stats.requestsByOutcome },
      spansExported: spans.exported,
      spansFailed: spans.failed,
    };
  }
}
