import { z } from 'zod';

export const POLICY_COMPARATORS = ['>=', '<='] as const;
export type PolicyComparator = (typeof POLICY_COMPARATORS)[number];

/** Stored policy rows use this model name for the default that covers models without their own policy. */
export const DEFAULT_POLICY_MODEL = '';

/**
 * A rule for the Production stage: a version moves there only when the latest
 * value of `metricKey` in its run passes `comparator threshold`.
 */
export interface PromotionPolicy {
  /** The registered model, or null for the default policy. */
  modelName: string | null;
  metricKey: string;
  comparator: PolicyComparator;
  threshold: number;
  /** Moves a new version whose run passes to Production when it is created. */
  autoPromote: boolean;
  /** Archives the versions already in Production when auto-promotion moves a version there. */
  archivePrevious: boolean;
  updatedAtMs: number;
}

/** Request body of `PUT /api/v1/registry/policies`. */
export const POLICY_BODY_SCHEMA = z
  .object({
    modelName: z.string().min(1).max(256).nullable().default(null),
    metricKey: z.string().min(1).max(250),
    comparator: z.enum(POLICY_COMPARATORS),
    threshold: z.number(),
    autoPromote: z.boolean().default(false),
    archivePrevious: z.boolean().default(true),
  })
  .strict();

export type PolicyBody = z.infer<typeof POLICY_BODY_SCHEMA>;

export type PolicyVerdict =
  { passed: true; reason: string } | { passed: false; reason: string; value: number | null };

/** Formats a threshold check such as `accuracy >= 0.9`. */
export function describeRule(policy: PromotionPolicy): string {
  return `${policy.metricKey} ${policy.comparator} ${policy.threshold}`;
}

function passes(value: number, policy: PromotionPolicy): boolean {
  if (Number.isNaN(value)) return false;
  return policy.comparator === '>=' ? value >= policy.threshold : value <= policy.threshold;
}

/**
 * Checks a run's latest metric value against the policy. A missing run or
 * metric fails, because a version without evidence must not reach Production.
 */
export function evaluatePolicy(
  policy: PromotionPolicy,
  runId: string | null,
  value: number | null,
): PolicyVerdict {
  const rule = describeRule(policy);
  if (runId === null) {
    return {
      passed: false,
      value: null,
      reason: `the version has no run, so ${rule} cannot be checked`,
    };
  }
  if (value === null) {
    return {
      passed: false,
      value: null,
      reason: `run ${runId} has no metric '${policy.metricKey}', and the policy requires ${rule}`,
    };
  }
  if (!passes(value, policy)) {
    return {
      passed: false,
      value,
      reason: `metric '${policy.metricKey}' of run ${runId} is ${value}, and the policy requires ${rule}`,
    };
  }
  return {
    passed: true,
    reason: `metric '${policy.metricKey}' of run ${runId} is ${value}, which meets ${rule}`,
  };
}
