import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ScoreRecord } from './score-store.ts';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** The body of `POST /api/v1/scores`: one score, or `{scores: [...]}`. */
export const scoreInputSchema = z
  .strictObject({
    id: z.string().min(1).max(128).optional(),
    traceId: z
      .string()
      .regex(TRACE_ID, 'traceId is 32 lower-case hexadecimal characters')
      .optional(),
    spanId: z.string().regex(SPAN_ID, 'spanId is 16 lower-case hexadecimal characters').optional(),
    name: z.string().min(1).max(200),
    value: z.union([
      z.number().refine(Number.isFinite, 'a numeric value must be finite'),
      z.string().min(1).max(200),
      z.boolean(),
    ]),
    source: z.string().min(1).max(64).default('api'),
    comment: z.string().max(4000).optional(),
    timestamp: z
      .union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })])
      .optional(),
  })
  .refine((score) => score.traceId !== undefined || score.spanId !== undefined, {
    message: 'a score needs traceId, spanId or both',
    path: ['traceId'],
  });

export const scoreBodySchema = z.union([
  scoreInputSchema,
  z.strictObject({ scores: z.array(scoreInputSchema).min(1).max(1000) }),
]);

export type ScoreInput = z.output<typeof scoreInputSchema>;

/** Turns a validated input into a record; numbers are numeric scores, strings and booleans categorical. */
export function toScoreRecord(input: ScoreInput, nowMs: number, projectId: string): ScoreRecord {
  const numeric = typeof input.value === 'number';
  const timestampUnixMs =
    input.timestamp === undefined
      ? nowMs
      : typeof input.timestamp === 'number'
        ? input.timestamp
        : Date.parse(input.timestamp);
  return {
    projectId,
    id: input.id ?? randomUUID(),
    traceId: input.traceId ?? null,
    spanId: input.spanId ?? null,
    name: input.name,
    dataType: numeric ? 'numeric' : 'categorical',
    numericValue: numeric ? (input.value as number) : null,
    categoricalValue: numeric ? null : String(input.value),
    source: input.source,
    comment: input.comment ?? null,
    timestampUnixMs,
  };
}
