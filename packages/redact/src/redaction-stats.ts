import type { DetectorCounts } from './types.ts';

/** Counters for one service. */
export interface ServiceCounters {
  spans: number;
  logRecords: number;
  metricPoints: number;
  /** Replaced values by detector name, including custom patterns and `credential`. */
  byDetector: DetectorCounts;
  deniedAttributes: number;
  pseudonymizedValues: number;
  droppedContent: number;
  hashedContent: number;
  truncatedContent: number;
}

export interface RedactionStats {
  /** Unix milliseconds when counting started. */
  sinceUnixMs: number;
  totals: ServiceCounters;
  byService: Record<string, ServiceCounters>;
}

/** Services counted separately; further services share the `_other` entry so memory stays bounded. */
const MAX_SERVICES = 1000;
const OTHER_SERVICE = '_other';

function emptyCounters(): ServiceCounters {
  return {
    spans: 0,
    logRecords: 0,
    metricPoints: 0,
    byDetector: {},
    deniedAttributes: 0,
    pseudonymizedValues: 0,
    droppedContent: 0,
    hashedContent: 0,
    truncatedContent: 0,
  };
}

function addInto(target: ServiceCounters, source: ServiceCounters): void {
  target.spans += source.spans;
  target.logRecords += source.logRecords;
  target.metricPoints += source.metricPoints;
  target.deniedAttributes += source.deniedAttributes;
  target.pseudonymizedValues += source.pseudonymizedValues;
  target.droppedContent += source.droppedContent;
  target.hashedContent += source.hashedContent;
  target.truncatedContent += source.truncatedContent;
  for (const name in source.byDetector) {
    target.byDetector[name] = (target.byDetector[name] ?? 0) + source.byDetector[name]!;
  }
}

function cloneCounters(counters: ServiceCounters): ServiceCounters {
  const copy = emptyCounters();
  addInto(copy, counters);
  return copy;
}

export interface StatsCollector {
  /** Returns the live counters of a service, creating them on first use. */
  forService(service: string): ServiceCounters;
  snapshot(): RedactionStats;
}

export function createStatsCollector(now: () => number = Date.now): StatsCollector {
  const sinceUnixMs = now();
  const services = new Map<string, ServiceCounters>();
  return {
    forService(service) {
      let counters = services.get(service);
      if (counters !== undefined) return counters;
      const key = services.size >= MAX_SERVICES ? OTHER_SERVICE : service;
      counters = services.get(key) ?? emptyCounters();
      services.set(key, counters);
      return counters;
    },
    snapshot() {
      const totals = emptyCounters();
      const byService: Record<string, ServiceCounters> = {};
      for (const [service, counters] of services) {
        byService[service] = cloneCounters(counters);
        addInto(totals, counters);
      }
      return { sinceUnixMs, totals, byService };
    },
  };
}
