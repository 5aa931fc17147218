import type { Random } from '../random.ts';
import { hashSeed } from '../random.ts';
import type { FeatureName } from './features/feature.ts';

/** A customer of the demo application. */
export interface Tenant {
  id: string;
  /** Relative share of all traffic. */
  weight: number;
  userCount: number;
  featureMix: readonly (readonly [FeatureName, number])[];
}

const USUAL_MIX: readonly (readonly [FeatureName, number])[] = [
  ['chat', 0.4],
  ['rag-search', 0.25],
  ['support-agent', 0.2],
  ['summarize', 0.15],
];

export const TENANTS: readonly Tenant[] = Object.freeze([
  { id: 'acme-corp', weight: 0.38, userCount: 40, featureMix: USUAL_MIX },
  { id: 'globex', weight: 0.22, userCount: 25, featureMix: USUAL_MIX },
  {
    id: 'initech',
    weight: 0.15,
    userCount: 18,
    featureMix: [
      ['chat', 0.2],
      ['rag-search', 0.6],
      ['support-agent', 0.1],
      ['summarize', 0.1],
    ],
  },
  { id: 'umbrella-health', weight: 0.12, userCount: 15, featureMix: USUAL_MIX },
  {
    id: 'hooli',
    weight: 0.08,
    userCount: 10,
    featureMix: [
      ['chat', 0.2],
      ['rag-search', 0.1],
      ['support-agent', 0.1],
      ['summarize', 0.6],
    ],
  },
  { id: 'stark-industries', weight: 0.05, userCount: 8, featureMix: USUAL_MIX },
]);

/** One request of the traffic plan. */
export interface PlannedRequest {
  /** Unique within a demo run; also the prefix of the mock request keys. */
  key: string;
  startUnixMs: number;
  tenantId: string;
  feature: FeatureName;
  userId: string;
  sessionId: string;
  /** Seeds the request's own random choices, so concurrency never changes its content. */
  seed: number;
}

/** Sessions group a user's requests within the same half hour. */
const SESSION_WINDOW_MS = 30 * 60 * 1000;

export function planRequest(
  random: Random,
  key: string,
  startUnixMs: number,
  tenants: readonly Tenant[],
): PlannedRequest {
  const tenant = random.weighted(tenants.map((entry) => [entry, entry.weight] as const));
  const feature = random.weighted(tenant.featureMix);
  const window = Math.floor(startUnixMs / SESSION_WINDOW_MS);
  const seed = random.int(0, 2 ** 32 - 1);
  if (feature === 'summarize') {
    const sessionId = `batch-${new Date(window * SESSION_WINDOW_MS).toISOString().slice(0, 16)}`;
    return {
      key,
      startUnixMs,
      tenantId: tenant.id,
      feature,
      userId: 'batch-scheduler',
      sessionId,
      seed,
    };
  }
  // Squaring the uniform draw skews traffic towards the first users, as real usage is.
  const userNumber = Math.floor(random.next() ** 2 * tenant.userCount) + 1;
  const userId = `${tenant.id}-user-${String(userNumber).padStart(3, '0')}`;
  const sessionId = `sess_${hashSeed(userId, window).toString(16).padStart(8, '0')}`;
  return { key, startUnixMs, tenantId: tenant.id, feature, userId, sessionId, seed };
}

/**
 * Returns the share of peak traffic at a time of day (UTC): a business-hours
 * curve peaking at 13:00, with a night floor of 0.25.
 */
export function dailyActivity(unixMs: number): number {
  const hour = (unixMs / 3_600_000) % 24;
  const daytime = Math.sin((Math.PI * (hour - 6)) / 14);
  return 0.25 + 0.75 * Math.max(0, daytime);
}

/**
 * Draws request start times in [fromUnixMs, toUnixMs) from a Poisson process
 * whose rate follows `dailyActivity`, by thinning a process at the peak rate.
 */
export function drawArrivals(
  random: Random,
  fromUnixMs: number,
  toUnixMs: number,
  peakRequestsPerMinute: number,
): number[] {
  const meanGapMs = 60_000 / peakRequestsPerMinute;
  const arrivals: number[] = [];
  for (let timeMs = fromUnixMs + random.exponential(meanGapMs); timeMs < toUnixMs;) {
    if (random.chance(dailyActivity(timeMs))) arrivals.push(timeMs);
    timeMs += random.exponential(meanGapMs);
  }
  return arrivals;
}
