import type { AlertHistoryEntry, AlertInstance } from './alert-store.ts';
import type { CompiledRule } from './compiled-rule.ts';
import type { Labels } from './labels.ts';
import type { RuleSample } from './rule-samples.ts';

/** How long resolved instances stay, so the resolution is still sent after a delayed group flush. */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

export interface Transition {
  /** The instance after this evaluation; null when it is deleted. */
  next: AlertInstance | null;
  history: AlertHistoryEntry | null;
}

export interface StepInput {
  rule: CompiledRule;
  previous: AlertInstance | undefined;
  /** The sample for this label set, or undefined when the group is absent from the result. */
  sample: RuleSample | undefined;
  labels: Labels;
  fingerprint: string;
  annotations: Record<string, string>;
  nowMs: number;
}

/**
 * Advances one instance by one evaluation, as Prometheus does: a new condition is
 * pending, it fires after `for`, a firing instance whose condition is gone stays
 * firing for `keep_firing_for` and then resolves, and a pending one is deleted.
 * An active instance keeps its condition while the value passes the resolve
 * threshold (hysteresis).
 */
export function stepInstance(input: StepInput): Transition {
  const { previous, sample, nowMs } = input;
  const active = previous !== undefined && previous.state !== 'resolved';
  const condition = sample !== undefined && (active ? sample.holds : sample.fires);
  if (condition) return stepTrue(input, active ? previous : undefined);
  if (!active) return { next: expireResolved(previous, nowMs), history: null };
  if (previous.state === 'pending')
    return { next: null, history: historyEntry(input, previous, 'inactive') };
  return stepFiringFalse(input, previous);
}

function stepTrue(input: StepInput, previous: AlertInstance | undefined): Transition {
  const { rule, sample, nowMs } = input;
  const base: AlertInstance = previous ?? {
    projectId: rule.projectId,
    ruleId: rule.id,
    fingerprint: input.fingerprint,
    labels: input.labels,
    annotations: input.annotations,
    state: 'pending',
    activeAtMs: nowMs,
    firedAtMs: null,
    resolvedAtMs: null,
    keepFiringSinceMs: null,
    value: sample!.value,
    threshold: sample!.threshold,
    lastEvalMs: nowMs,
  };
  const next: AlertInstance = {
    ...base,
    labels: input.labels,
    annotations: input.annotations,
    value: sample!.value,
    threshold: sample!.threshold,
    keepFiringSinceMs: null,
    lastEvalMs: nowMs,
  };
  if (next.state === 'pending' && nowMs - next.activeAtMs >= rule.forMs) {
    next.state = 'firing';
    next.firedAtMs = nowMs;
    return {
      next,
      history: historyEntry(input, next, 'firing', previous === undefined ? 'inactive' : 'pending'),
    };
  }
  return {
    next,
    history: previous === undefined ? historyEntry(input, next, 'pending', 'inactive') : null,
  };
}

/** Labels, annotations and the value stay frozen while an instance is kept firing. */
function stepFiringFalse(input: StepInput, previous: AlertInstance): Transition {
  const { rule, nowMs } = input;
  const since = previous.keepFiringSinceMs ?? nowMs;
  if (nowMs - since < rule.keepFiringForMs) {
    return { next: { ...previous, keepFiringSinceMs: since, lastEvalMs: nowMs }, history: null };
  }
  const next: AlertInstance = {
    ...previous,
    state: 'resolved',
    resolvedAtMs: nowMs,
    keepFiringSinceMs: null,
    lastEvalMs: nowMs,
  };
  return { next, history: historyEntry(input, next, 'resolved', 'firing') };
}

function expireResolved(previous: AlertInstance | undefined, nowMs: number): AlertInstance | null {
  if (previous === undefined) return null;
  return nowMs - (previous.resolvedAtMs ?? nowMs) >= RESOLVED_RETENTION_MS ? null : previous;
}

function historyEntry(
  input: StepInput,
  instance: AlertInstance,
  toState: AlertHistoryEntry['toState'],
  fromState: AlertHistoryEntry['fromState'] = instance.state,
): AlertHistoryEntry {
  return {
    projectId: instance.projectId,
    ruleId: instance.ruleId,
    fingerprint: instance.fingerprint,
    labels: instance.labels,
    fromState,
    toState,
    atMs: input.nowMs,
    value: input.sample?.value ?? instance.value,
    threshold: input.sample?.threshold ?? instance.threshold,
  };
}
