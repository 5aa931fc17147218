import os from 'node:os';
import { median } from './statistics.ts';
import type { VariantName } from './variants.ts';

/** The figures one child process measured for one variant and mode. */
export interface ChildReport {
  variant: VariantName;
  /** `baseline` when the child ran the SDK copy given by `--baseline-sdk`. */
  sdk: 'current' | 'baseline';
  mode: 'json' | 'stream';
  /** The index of the pass over all variants that this child ran in, from 0. */
  pass: number;
  plainUs: number;
  instrumentedUs: number;
  addedUs: number;
  spansPerCall: number;
}

/** The peers that `foghorn` is compared with pass by pass. */
const PEERS: readonly VariantName[] = [
  'otel-instrumentation-openai',
  'traceloop-instrumentation-openai',
  'traceloop-node-server-sdk',
];

export function loadAverageText(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

function groupKey(report: ChildReport): string {
  return `${report.variant}|${report.sdk}|${report.mode}`;
}

function groupReports(reports: readonly ChildReport[]): Map<string, ChildReport[]> {
  const groups = new Map<string, ChildReport[]>();
  for (const report of reports) {
    const key = groupKey(report);
    groups.set(key, [...(groups.get(key) ?? []), report]);
  }
  return groups;
}

/** Prints one row per variant, SDK and mode: the median over the passes and the range of the passes. */
export function printTable(reports: readonly ChildReport[]): void {
  console.log(
    '| variant | sdk | mode | plain µs CPU/call | added µs/call, median of passes | min | max | added per pass | spans/call |',
  );
  console.log('|---|---|---|---:|---:|---:|---:|---|---:|');
  for (const group of groupReports(reports).values()) {
    const added = group.map((report) => report.addedUs);
    const cells = [
      group[0]!.variant,
      group[0]!.sdk,
      group[0]!.mode,
      median(group.map((report) => report.plainUs)).toFixed(1),
      median(added).toFixed(1),
      Math.min(...added).toFixed(1),
      Math.max(...added).toFixed(1),
      added.map((value) => value.toFixed(0)).join(' '),
      median(group.map((report) => report.spansPerCall)).toFixed(2),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

/**
 * Prints, per mode and peer, `foghorn`'s added time minus the peer's in each
 * pass. The two children of one pass ran within about a minute of each other,
 * so they saw similar load.
 */
export function printPeerComparison(reports: readonly ChildReport[]): void {
  console.log(
    '\n| mode | foghorn minus | per pass µs | median µs | passes where foghorn is lower |',
  );
  console.log('|---|---|---|---:|---:|');
  for (const mode of ['json', 'stream'] as const) {
    const ours = currentReports(reports, 'foghorn', mode);
    for (const peer of PEERS) {
      const theirs = currentReports(reports, peer, mode);
      if (ours.length === 0 || theirs.length !== ours.length) continue;
      const differences = ours.map((report, pass) => report.addedUs - theirs[pass]!.addedUs);
      const lower = differences.filter((difference) => difference < 0).length;
      const cells = [
        mode,
        peer,
        differences.map((difference) => difference.toFixed(0)).join(' '),
        median(differences).toFixed(1),
        `${lower} of ${differences.length}`,
      ];
      console.log(`| ${cells.join(' | ')} |`);
    }
  }
}

function currentReports(
  reports: readonly ChildReport[],
  variant: VariantName,
  mode: ChildReport['mode'],
): ChildReport[] {
  return reports
    .filter(
      (report) => report.variant === variant && report.sdk === 'current' && report.mode === mode,
    )
    .sort((a, b) => a.pass - b.pass);
}
