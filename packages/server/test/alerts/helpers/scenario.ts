import type { AlarmServer } from './alarm-server.ts';
import {
  Random,
  exportCalls,
  generateCalls,
  type MinuteShape,
  type SimCall,
} from './sim-traffic.ts';

export const T0_MS = Date.UTC(2026, 10, 2);
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** One injected incident: its window, the traffic change, and the paging rule expected to catch it. */
export interface Incident {
  name: string;
  startMs: number;
  endMs: number;
  shape: MinuteShape;
  ruleId: string;
  /** The detection time docs/alarms.md promises for this incident, in milliseconds. */
  documentedDetectionMs: number;
}

const day7 = T0_MS + 7 * DAY_MS;

/** Detection includes one evaluation step (1 min here) and the page route's 30 s group_wait. */
const NOTIFY_DELAY_MS = 90_000;

/** Calls per minute on average over a day; the daily cycle runs from half of it at 02:00 to 1.5 times at 14:00 UTC. */
export const BASE_RATE_PER_MIN = 2;

/** Incidents on day 7, in daytime so every paging rule has the traffic its low-traffic guard needs. */
export const INCIDENTS: readonly Incident[] = [
  {
    name: 'latency spike on gpt-4o',
    startMs: day7 + 9 * HOUR_MS,
    endMs: day7 + 10 * HOUR_MS,
    shape: { modelLatencyFactor: { 'gpt-4o': 10 } },
    ruleId: 'latency-slo-fast-burn',
    // About 92 % of gpt-4o calls exceed 8 s: 0.144 / 0.92 h = 9.4 min once the
    // 1 h window holds 20 calls; the docs promise 20 min for sparse traffic.
    documentedDetectionMs: 20 * MINUTE_MS + NOTIFY_DELAY_MS,
  },
  {
    name: 'quality drop of claude-sonnet-4',
    startMs: day7 + 11.5 * HOUR_MS,
    endMs: day7 + 12.5 * HOUR_MS,
    shape: {},
    ruleId: 'quality-drop',
    // 30 min x 0.1 / 0.35 = 8.6 min with a steady flow of scores, plus for: 5m. About
    // 20 scores reach the 30 min window, so the mean crosses later when the low ones
    // arrive unevenly; the docs allow 8 more minutes for that.
    documentedDetectionMs: 22 * MINUTE_MS + NOTIFY_DELAY_MS,
  },
  {
    name: 'rate-limit storm at openai',
    startMs: day7 + 14 * HOUR_MS,
    endMs: day7 + 15 * HOUR_MS,
    shape: { providerRateLimitShare: { openai: 0.4 } },
    ruleId: 'errors-slo-fast-burn',
    // 0.072 / 0.4 h = 10.8 min with steady traffic; the docs allow 14 min for Poisson noise.
    documentedDetectionMs: 14 * MINUTE_MS + NOTIFY_DELAY_MS,
  },
  {
    name: 'runaway tenant globex',
    startMs: day7 + 16.5 * HOUR_MS,
    endMs: day7 + 18 * HOUR_MS,
    shape: { tenantRateFactor: { globex: 10 } },
    ruleId: 'tenant-cost-runaway',
    // 2 h / (10 - 1) = 13.3 min, plus for: 5m.
    documentedDetectionMs: 19 * MINUTE_MS + NOTIFY_DELAY_MS,
  },
  {
    name: 'silent service search-api',
    startMs: day7 + 19.5 * HOUR_MS,
    endMs: day7 + 20.5 * HOUR_MS,
    shape: { silentServices: ['search-api'] },
    ruleId: 'service-no-data',
    // The 15 min window must be empty, then for: 5m.
    documentedDetectionMs: 20 * MINUTE_MS + NOTIFY_DELAY_MS,
  },
];

/** The clean week: no incident, evaluated at coarse steps, must page zero times. */
export const CLEAN_WEEK = { startMs: T0_MS, endMs: T0_MS + 7 * DAY_MS } as const;

export const TRAFFIC_END_MS = day7 + 22 * HOUR_MS;

function shapeAt(minuteMs: number, incidents: readonly Incident[]): MinuteShape {
  const active = incidents.find(
    (incident) => minuteMs >= incident.startMs && minuteMs < incident.endMs,
  );
  return active?.shape ?? {};
}

/** Generates the traffic, exports it over OTLP and posts the quality scores. */
export async function loadScenario(
  server: AlarmServer,
  setNow: (ms: number) => void,
  incidents: readonly Incident[],
  endMs: number,
): Promise<SimCall[]> {
  const random = new Random(20261102);
  const calls = generateCalls(random, T0_MS, endMs, BASE_RATE_PER_MIN, (minuteMs) =>
    shapeAt(minuteMs, incidents),
  );
  // Foghorn moves spans from the future to the receive time, so the clock stands after the traffic while it is sent.
  setNow(endMs + MINUTE_MS);
  await exportCalls(server.otlpUrl, calls);
  await postScores(server, calls, random, incidents);
  return calls;
}

async function postScores(
  server: AlarmServer,
  calls: SimCall[],
  random: Random,
  incidents: readonly Incident[],
): Promise<void> {
  const qualityDrop = incidents.find((incident) => incident.ruleId === 'quality-drop');
  const scores: unknown[] = [];
  for (const call of calls) {
    if (call.errorType !== null || call.traceId === undefined) continue;
    const timestamp = Math.round(call.startMs + call.durationMs);
    const dropped =
      qualityDrop !== undefined &&
      call.model === 'claude-sonnet-4' &&
      timestamp >= qualityDrop.startMs &&
      timestamp < qualityDrop.endMs;
    // The judge scores every claude-sonnet-4 call and samples 30 % of the others.
    if (call.model === 'claude-sonnet-4' || random.next() < 0.3) {
      const mean = dropped ? 0.45 : 0.8;
      const value = Math.min(1, Math.max(0, mean + 0.1 * random.normal()));
      scores.push({
        traceId: call.traceId,
        name: 'helpfulness',
        value,
        source: 'llm_judge',
        timestamp,
      });
    }
    if (random.next() < 0.1) {
      const verdict = random.next() < (dropped ? 0.3 : 0.05) ? 'bad' : 'good';
      scores.push({
        traceId: call.traceId,
        name: 'verdict',
        value: verdict,
        source: 'user_feedback',
        timestamp,
      });
    }
  }
  for (let i = 0; i < scores.length; i += 1000) {
    const response = await server.json('/api/v1/scores', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scores: scores.slice(i, i + 1000) }),
    });
    if (response.status !== 201)
      throw new Error(`posting scores failed: ${JSON.stringify(response.body)}`);
  }
}
