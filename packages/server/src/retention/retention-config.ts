import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { parseDurationMs } from '../panels/duration.ts';

export const RETENTION_FILE_NAME = 'retention.yaml';
export const RETENTION_SIGNALS = ['spans', 'content', 'metrics', 'logs', 'scores'] as const;
export type RetentionSignal = (typeof RETENTION_SIGNALS)[number];

/** How long each signal is kept, in milliseconds (null keeps it forever), and how often the job runs. */
export interface RetentionSettings {
  ttlMs: Record<RetentionSignal, number | null>;
  intervalMs: number;
}

/** Settings passed in code or on the command line: durations such as `30d`; unset fields fall back to the file. */
export interface RetentionOverrides {
  ttl?: Partial<Record<RetentionSignal, string | null>>;
  intervalMs?: number | null;
}

/** Every signal is kept forever unless configured; the job runs hourly. */
export const RETENTION_DEFAULTS = Object.freeze({ intervalMs: 3_600_000 });
const MIN_INTERVAL_MS = 1_000;

const durationText = z.string().refine((text) => parseDurationMs(text) !== null, {
  message: 'use a whole number and a unit: ms, s, m, h, d or w, such as 30d',
});

const fileSchema = z
  .object({
    ttl: z
      .object(
        Object.fromEntries(RETENTION_SIGNALS.map((signal) => [signal, durationText.optional()])),
      )
      .strict()
      .optional(),
    intervalMs: z.number().int().min(MIN_INTERVAL_MS).optional(),
  })
  .strict();

async function readRetentionFile(
  dataDir: string,
): Promise<{ path: string; data: z.infer<typeof fileSchema> } | null> {
  const path = join(dataDir, RETENTION_FILE_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(
      `${path}: field ${issue.path.join('.') || '(top level)'} is invalid: ${issue.message}`,
    );
  }
  return { path, data: parsed.data };
}

function overrideTtlMs(signal: RetentionSignal, text: string): number {
  const ttlMs = parseDurationMs(text);
  if (ttlMs === null || ttlMs <= 0) {
    throw new ConfigError(
      `retention ${signal} is "${text}"; use a whole number and a unit (ms, s, m, h, d, w), such as 30d`,
    );
  }
  return ttlMs;
}

/**
 * Resolves the retention settings: overrides (command line, its environment
 * variables, or code) win over `<dataDir>/retention.yaml`, which wins over the
 * defaults. Throws naming the field when a value is invalid.
 */
export async function loadRetentionSettings(
  dataDir: string,
  overrides: RetentionOverrides = {},
): Promise<RetentionSettings & { path: string | null }> {
  const file = await readRetentionFile(dataDir);
  const ttlMs = {} as Record<RetentionSignal, number | null>;
  for (const signal of RETENTION_SIGNALS) {
    const override = overrides.ttl?.[signal];
    const fromFile = file?.data.ttl?.[signal];
    if (override !== undefined && override !== null)
      ttlMs[signal] = overrideTtlMs(signal, override);
    else ttlMs[signal] = fromFile === undefined ? null : parseDurationMs(fromFile);
  }
  const intervalMs = overrides.intervalMs ?? file?.data.intervalMs ?? RETENTION_DEFAULTS.intervalMs;
  if (!Number.isInteger(intervalMs) || intervalMs < MIN_INTERVAL_MS) {
    throw new ConfigError(
      `retention intervalMs is ${intervalMs}; use a whole number of milliseconds of at least ${MIN_INTERVAL_MS}`,
    );
  }
  return { ttlMs, intervalMs, path: file?.path ?? null };
}

/** True when at least one signal expires. */
export function hasRetention(settings: RetentionSettings): boolean {
  return RETENTION_SIGNALS.some((signal) => settings.ttlMs[signal] !== null);
}
