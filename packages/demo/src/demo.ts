import { planBackfill, runBackfill } from './app/backfill.ts';
import type { CorpusIndex } from './app/corpus.ts';
import { buildCorpusIndex } from './app/corpus.ts';
import { RAG_EMBEDDING_MODEL } from './app/features/rag-search.ts';
import { incidentEffects } from './app/incidents.ts';
import type { LiveTraffic } from './app/live.ts';
import { startLiveTraffic } from './app/live.ts';
import { LlmGateway } from './app/llm-gateway.ts';
import type { RunRequest } from './app/request-runner.ts';
import { createRequestRunner } from './app/request-runner.ts';
import type { DemoStats } from './app/stats.ts';
import { StatsRecorder } from './app/stats.ts';
import type { Telemetry } from './app/telemetry.ts';
import { createTelemetry } from './app/telemetry.ts';
import type { DemoOptions, ResolvedDemoOptions } from './options.ts';
import { resolveDemoOptions } from './options.ts';
import type { MockProvider } from './provider/mock-provider.ts';
import { startMockProvider } from './provider/mock-provider.ts';

export interface DemoHandle {
  /** Stops live traffic, flushes and shuts down the exporters and closes the mock provider. Idempotent. */
  stop(): Promise<void>;
  stats(): DemoStats;
  /** Base URL of the mock provider, ending in `/v1`. */
  mockProviderUrl: string;
  /** Resolves when live traffic has ended (its duration passed or `stop()` was called). */
  finished: Promise<void>;
}

interface DemoParts {
  options: ResolvedDemoOptions;
  provider: MockProvider;
  telemetry: Telemetry;
  stats: StatsRecorder;
  runRequest: RunRequest;
}

/**
 * Starts the demo: a mock provider on 127.0.0.1, then simulated history of
 * `backfillHours`, then live traffic. Resolves once the backfill is exported
 * and live traffic has started.
 */
export async function startDemo(demoOptions: DemoOptions): Promise<DemoHandle> {
  const options = resolveDemoOptions(demoOptions);
  const provider = await startMockProvider({ seed: options.seed, log: options.log });
  options.log(`demo: mock LLM provider listening on ${provider.url}`);
  const telemetry = createTelemetry(options.tracesUrl, options.log);
  try {
    const parts = await assembleParts(options, provider, telemetry);
    await backfill(parts);
    return startLive(parts);
  } catch (error) {
    await telemetry.shutdown().catch(() => {});
    await provider.close();
    throw error;
  }
}

async function assembleParts(
  options: ResolvedDemoOptions,
  provider: MockProvider,
  telemetry: Telemetry,
): Promise<DemoParts> {
  const gateway = new LlmGateway(provider.url);
  const corpus: CorpusIndex = await buildCorpusIndex({ gateway }, RAG_EMBEDDING_MODEL);
  const stats = new StatsRecorder();
  const runRequest = createRequestRunner({ telemetry, gateway, corpus, stats, log: options.log });
  return { options, provider, telemetry, stats, runRequest };
}

async function backfill(parts: DemoParts): Promise<void> {
  const { options, telemetry, stats } = parts;
  if (options.backfillHours === 0) return;
  const startedMs = performance.now();
  const planned = planBackfill(options.seed, options.backfillHours, Date.now());
  stats.setPhase('backfill');
  options.log(
    `demo: backfilling ${options.backfillHours} h of history (${planned.length} requests) to ${options.tracesUrl}`,
  );
  await runBackfill(planned, { runRequest: parts.runRequest, telemetry });
  const elapsedSeconds = ((performance.now() - startedMs) / 1000).toFixed(1);
  const exported = telemetry.spansExported();
  const failed = telemetry.spansFailed();
  options.log(
    `demo: backfill done in ${elapsedSeconds} s: ${exported} spans exported, ${failed} failed`,
  );
}

function startLive(parts: DemoParts): DemoHandle {
  const { options, provider, telemetry, stats } = parts;
  const effects = incidentEffects(options.incident);
  const live: LiveTraffic = startLiveTraffic({ ...options, effects, runRequest: parts.runRequest });
  stats.setPhase('live');
  const duration = options.durationMs === null ? 'until stopped' : `for ${options.durationMs} ms`;
  options.log(
    `demo: live traffic at ${options.requestsPerSecond} requests/s ${duration}, ${effects.description}`,
  );
  const finished = live.finished.then(() => stats.setPhase('finished'));

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await live.stop();
      await telemetry.forceFlush();
      await telemetry.shutdown();
      await provider.close();
      stats.setPhase('stopped');
      const snapshot = stats.snapshot(spanCounts(telemetry));
      options.log(
        `demo: stopped after ${snapshot.requestsSent} model calls; ` +
          `${snapshot.spansExported} spans exported, ${snapshot.spansFailed} failed`,
      );
    })();
    return stopped;
  };
  return {
    stop,
    stats: () => stats.snapshot(spanCounts(telemetry)),
    mockProviderUrl: provider.url,
    finished,
  };
}

function spanCounts(telemetry: Telemetry): { exported: number; failed: number } {
  return { exported: telemetry.spansExported(), failed: telemetry.spansFailed() };
}
