import type { ModelVersion } from './entities.ts';
import { invalidParameter } from './mlflow-error.ts';
import { evaluatePolicy, type PolicyVerdict, type PromotionPolicy } from './promotion-policy.ts';
import { AUTO_PROMOTION_ACTOR, type StageTransitionRequest } from './stage-transition.ts';
import type { TrackingContext } from './tracking-context.ts';

async function latestMetricValue(
  context: TrackingContext,
  runId: string | null,
  metricKey: string,
): Promise<number | null> {
  if (runId === null) return null;
  const run = await context.store.getRun(runId);
  const metric = run?.data.metrics.find((candidate) => candidate.key === metricKey);
  return metric === undefined ? null : metric.value;
}

async function judgeVersion(
  context: TrackingContext,
  policy: PromotionPolicy,
  version: ModelVersion,
): Promise<PolicyVerdict> {
  const value = await latestMetricValue(context, version.runId, policy.metricKey);
  return evaluatePolicy(policy, version.runId, value);
}

function policyName(policy: PromotionPolicy): string {
  return policy.modelName === null ? 'the default promotion policy' : 'its promotion policy';
}

/**
 * Applies a stage transition after checking the promotion policy for moves to
 * Production. A rejected move is logged and raised as INVALID_PARAMETER_VALUE
 * (HTTP 400) naming the metric, the run's value and the threshold.
 */
export async function transitionWithPolicy(
  context: TrackingContext,
  version: ModelVersion,
  request: StageTransitionRequest,
): Promise<void> {
  const policy =
    request.stage === 'Production' ? await context.store.getEffectivePolicy(version.name) : null;
  if (policy !== null) {
    const verdict = await judgeVersion(context, policy, version);
    if (!verdict.passed) {
      const message = `Transition of model '${version.name}' version ${version.version} to Production was rejected by ${policyName(policy)}: ${verdict.reason}. Promote a version whose run meets the threshold, or change the policy at /api/v1/registry/policies.`;
      await context.store.recordStageTransition({
        name: version.name,
        version: version.version,
        fromStage: version.currentStage,
        toStage: request.stage,
        actor: request.actor,
        reason: `rejected: ${verdict.reason}`,
        outcome: 'rejected',
        timestampMs: request.nowMs,
      });
      throw invalidParameter(message);
    }
  }
  await context.store.applyStageTransition(request);
}

/**
 * Moves a new version to Production when its model's policy has auto-promotion
 * on and the version's run passes; does nothing otherwise.
 */
export async function autoPromote(context: TrackingContext, version: ModelVersion): Promise<void> {
  const policy = await context.store.getEffectivePolicy(version.name);
  if (policy === null || !policy.autoPromote) return;
  const verdict = await judgeVersion(context, policy, version);
  if (!verdict.passed) {
    context.logger.info(
      { model: version.name, version: version.version },
      `auto-promotion skipped: ${verdict.reason}`,
    );
    return;
  }
  await context.store.applyStageTransition({
    name: version.name,
    version: version.version,
    stage: 'Production',
    archiveExisting: policy.archivePrevious,
    actor: AUTO_PROMOTION_ACTOR,
    reason: `auto-promoted: ${verdict.reason}`,
    nowMs: context.now(),
  });
}
