import type { ParsedOptions } from '../cli/options.ts';
import { RETENTION_SIGNALS, type RetentionOverrides } from './retention-config.ts';

/** Reads the `--retention-*` options of `foghorn up` into overrides; unset options leave the file in charge. */
export function retentionOverridesFrom(options: ParsedOptions): RetentionOverrides {
  const ttl: NonNullable<RetentionOverrides['ttl']> = {};
  for (const signal of RETENTION_SIGNALS) {
    const value = options[`retention-${signal}`];
    if (value !== null && value !== undefined) ttl[signal] = String(value);
  }
  const interval = options['retention-interval-ms'];
  return { ttl, intervalMs: interval === null || interval === undefined ? null : Number(interval) };
}
