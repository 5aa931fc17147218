import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startFoghorn, type FoghornConfig, type FoghornHandle } from '../../src/foghorn.ts';
import { hex, llmAttributes, type TestSpan } from '../pricing/otlp-json.ts';

export interface RunningFoghorn extends FoghornHandle {
  getJson(path: string): Promise<any>;
  stop(): Promise<void>;
}

/** Starts a real Foghorn on ephemeral 127.0.0.1 ports with a fresh data directory and extra settings. */
export async function startFoghornWith(
  extra: Partial<FoghornConfig> = {},
): Promise<RunningFoghorn> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-exports-'));
  const handle = await startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 8 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    alertIntervalMs: 0,
    alertOutboxIntervalMs: 0,
    ...extra,
  });
  const getJson = async (path: string): Promise<any> =>
    (await fetch(`${handle.url}${path}`)).json();
  const stop = async (): Promise<void> => {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { ...handle, getJson, stop };
}

export interface CallMix {
  provider: string;
  model: string;
  input: number;
  output: number;
}

/** Priced and unpriced models whose costs the pricing tests check by hand. */
export const CALL_MIXES: readonly CallMix[] = [
  { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', input: 1200, output: 300 },
  { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', input: 10_000, output: 700 },
  { provider: 'gcp.gemini', model: 'gemini-2.5-pro', input: 2000, output: 900 },
  { provider: 'openai', model: 'house-model-7b', input: 500, output: 100 },
];

/**
 * Builds `count` single-span traces of LLM calls ending before `nowMs`, spread over
 * the models, `tenants` and three features; every seventh call is rate limited.
 */
export function buildCalls(
  count: number,
  nowMs: number,
  tenants: readonly string[],
  seed = 0,
): TestSpan[] {
  const spans: TestSpan[] = [];
  for (let index = 0; index < count; index++) {
    const mix = CALL_MIXES[index % CALL_MIXES.length]!;
    const attributes: Record<string, string | number> = {
      ...llmAttributes(mix.provider, mix.model, { input: mix.input + index, output: mix.output }),
      'tenant.id': tenants[index % tenants.length]!,
      'feature.name': ['chat', 'search', 'summarize'][index % 3]!,
    };
    if (index % 7 === 3) attributes['error.type'] = 'rate_limit';
    spans.push({
      traceId: hex(seed * 100_000 + index + 1, 32),
      spanId: hex(seed * 100_000 + index + 1, 16),
      name: `chat ${mix.model}`,
      startUnixMs: nowMs - 30_000 + index,
      durationMs: 200 + (index % 10) * 1700,
      attributes,
    });
  }
  return spans;
}
