import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { z } from 'zod';
import { parseDurationMs } from '../panels/duration.ts';

export const RULE_KINDS = ['threshold', 'slo_burn', 'baseline', 'budget', 'no_data'] as const;
export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export const SEVERITIES = ['page', 'ticket', 'info'] as const;
export const SLO_WINDOW_SETS = ['page', 'ticket'] as const;

export type Comparator = (typeof COMPARATORS)[number];
export type Severity = (typeof SEVERITIES)[number];

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const duration = z.string().refine((text) => parseDurationMs(text) !== null, {
  message: 'expected a duration such as 0s, 30s, 5m, 1h or 1d',
});

const labelMap = z.record(
  z.string().regex(LABEL_NAME, 'label names use letters, digits and underscores'),
  z.string(),
);

const sloSchema = z.strictObject({
  objective: z
    .number()
    .gt(0.5, 'the objective is a ratio such as 0.99 or 0.999')
    .lt(1, 'the objective is a ratio below 1, such as 0.99 or 0.999'),
  windows: z.enum(SLO_WINDOW_SETS).default('page'),
});

const baselineSchema = z.strictObject({
  over: duration,
  compare: z.enum(['ratio', 'difference', 'presence']).default('ratio'),
});

/** One alert rule as written in a rule file or sent to the rules API. */
export const ruleSchema = z.strictObject({
  id: z.string().regex(ID, 'ids are 1 to 64 lower-case letters, digits, "-" or "_"'),
  /** The project whose data the rule reads; rules of the API get the caller's project. */
  project: z.string().min(1, 'a project id is not empty').default(DEFAULT_PROJECT_ID),
  panel: z.string(),
  kind: z.enum(RULE_KINDS).default('threshold'),
  expr: z.string().min(1),
  comparator: z.enum(COMPARATORS).default('>'),
  threshold: z.number().optional(),
  resolve_threshold: z.number().optional(),
  for: duration.default('0s'),
  keep_firing_for: duration.default('0s'),
  group_by: z.array(z.string()).max(1, 'group by at most one dimension').optional(),
  min_requests: z.number().int().min(0).default(0),
  slo: sloSchema.optional(),
  baseline: baselineSchema.optional(),
  severity: z.enum(SEVERITIES).default('ticket'),
  route: z.string().optional(),
  labels: labelMap.default({}),
  annotations: z.record(z.string(), z.string()).default({}),
});

export type RuleInput = z.input<typeof ruleSchema>;
export type RuleSpec = z.output<typeof ruleSchema>;

/** A rule file: a list of rules under `rules:`. */
export const ruleFileSchema = z.strictObject({
  rules: z.array(z.unknown()).default([]),
});
