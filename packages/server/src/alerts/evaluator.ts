import type { Logger } from 'pino';
import type { AlertHistoryEntry, AlertInstance, AlertStore } from './alert-store.ts';
import { ruleKey, type CompiledRule } from './compiled-rule.ts';
import { fingerprintLabels, type Labels } from './labels.ts';
import { sampleRule, type RuleSample, type SampleContext } from './rule-samples.ts';
import { stepInstance } from './state-machine.ts';
import { expandTemplate } from './template.ts';

const DEFAULT_SUMMARY = '{{ $value }} against the threshold {{ $threshold }}';

/** Identifies an instance across projects and rules: `projectId/ruleId/fingerprint`. */
export function instanceKey(instance: {
  projectId: string;
  ruleId: string;
  fingerprint: string;
}): string {
  return `${ruleKey(instance.projectId, instance.ruleId)}/${instance.fingerprint}`;
}

/**
 * The labels of an alert: group labels, then the rule's labels, then alertname, severity,
 * panel and project, so routes and notifications see which project raised it.
 */
export function alertLabels(rule: CompiledRule, groupLabels: Labels): Labels {
  return {
    ...groupLabels,
    ...rule.spec.labels,
    alertname: rule.id,
    severity: rule.spec.severity,
    panel: rule.spec.panel,
    project: rule.projectId,
  };
}

/** Evaluates every rule and keeps the instances in memory and in the alert store. */
export class Evaluator {
  private readonly instances = new Map<string, AlertInstance>();

  constructor(
    private readonly store: AlertStore,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<void> {
    for (const instance of await this.store.loadInstances())
      this.instances.set(instanceKey(instance), instance);
  }

  list(): AlertInstance[] {
    return [...this.instances.values()];
  }

  /** Runs one evaluation of all rules at `context.nowMs` and persists what changed. */
  async evaluate(rules: readonly CompiledRule[], context: SampleContext): Promise<void> {
    const upserts: AlertInstance[] = [];
    const deletes: AlertInstance[] = [];
    const history: AlertHistoryEntry[] = [];
    const ruleIds = new Set(rules.map((rule) => ruleKey(rule.projectId, rule.id)));
    // Rules read concurrently, so their queries overlap; the steps then run in rule order.
    const sampled = await Promise.all(rules.map((rule) => this.sample(rule, context)));
    rules.forEach((rule, index) => {
      const samples = sampled[index];
      if (samples !== null && samples !== undefined)
        this.stepRule(rule, samples, context.nowMs, { upserts, deletes, history });
    });
    this.resolveRemovedRules(ruleIds, context.nowMs, { upserts, deletes, history });
    for (const instance of deletes) this.instances.delete(instanceKey(instance));
    for (const instance of upserts) this.instances.set(instanceKey(instance), instance);
    await this.store.commitEvaluation(upserts, deletes, history);
  }

  private async sample(rule: CompiledRule, context: SampleContext): Promise<RuleSample[] | null> {
    try {
      return await sampleRule(rule, context);
    } catch (error) {
      this.logger.error(
        { err: error, ruleId: rule.id, projectId: rule.projectId },
        `evaluating alert rule ${rule.id} of project ${rule.projectId} failed; its alerts keep their state`,
      );
      return null;
    }
  }

  private stepRule(
    rule: CompiledRule,
    samples: RuleSample[],
    nowMs: number,
    changes: Changes,
  ): void {
    const byFingerprint = new Map<string, { sample: RuleSample; labels: Labels }>();
    for (const sample of samples) {
      const labels = alertLabels(rule, sample.labels);
      byFingerprint.set(fingerprintLabels(labels), { sample, labels });
    }
    const fingerprints = new Set(byFingerprint.keys());
    for (const instance of this.instances.values())
      if (instance.ruleId === rule.id && instance.projectId === rule.projectId)
        fingerprints.add(instance.fingerprint);
    for (const fingerprint of fingerprints) {
      const previous = this.instances.get(
        instanceKey({ projectId: rule.projectId, ruleId: rule.id, fingerprint }),
      );
      const current = byFingerprint.get(fingerprint);
      const labels = current?.labels ?? previous!.labels;
      const annotations =
        current === undefined
          ? previous!.annotations
          : expandAnnotations(rule, current.sample, labels);
      const transition = stepInstance({
        rule,
        previous,
        sample: current?.sample,
        labels,
        fingerprint,
        annotations,
        nowMs,
      });
      record(previous, transition.next, changes);
      if (transition.history !== null) changes.history.push(transition.history);
    }
  }

  /** Instances of deleted rules resolve at once, so their resolution is still sent. */
  private resolveRemovedRules(ruleIds: Set<string>, nowMs: number, changes: Changes): void {
    for (const instance of this.instances.values()) {
      if (ruleIds.has(ruleKey(instance.projectId, instance.ruleId))) continue;
      if (instance.state === 'firing') {
        changes.upserts.push({
          ...instance,
          state: 'resolved',
          resolvedAtMs: nowMs,
          lastEvalMs: nowMs,
        });
        changes.history.push({
          ...instance,
          fromState: 'firing',
          toState: 'resolved',
          atMs: nowMs,
        });
      } else if (
        instance.state === 'pending' ||
        nowMs - (instance.resolvedAtMs ?? nowMs) >= 15 * 60_000
      ) {
        changes.deletes.push(instance);
      }
    }
  }
}

interface Changes {
  upserts: AlertInstance[];
  deletes: AlertInstance[];
  history: AlertHistoryEntry[];
}

function record(
  previous: AlertInstance | undefined,
  next: AlertInstance | null,
  changes: Changes,
): void {
  if (next === null) {
    if (previous !== undefined) changes.deletes.push(previous);
    return;
  }
  // The evaluation time alone changes on every evaluation; it is not worth a write.
  if (
    previous === undefined ||
    JSON.stringify({ ...previous, lastEvalMs: 0 }) !== JSON.stringify({ ...next, lastEvalMs: 0 })
  ) {
    changes.upserts.push(next);
  }
}

function expandAnnotations(
  rule: CompiledRule,
  sample: RuleSample,
  labels: Labels,
): Record<string, string> {
  const templates = { summary: DEFAULT_SUMMARY, ...rule.spec.annotations };
  const data = { labels, value: sample.value, threshold: sample.threshold };
  return Object.fromEntries(
    Object.entries(templates).map(([name, template]) => [name, expandTemplate(template, data)]),
  );
}
