import { LLM_LABELS as L } from './llm-metric-names.ts';
import { keyedLabels, type KeyedLabels } from './metric-family.ts';

/** Entries kept per cache; a cache that grows past it starts over, which only costs recomputing keys. */
const MAX_CACHED_LABEL_SETS = 10_000;

/** The series an LLM call updates once its tenant and feature label values are known. */
export interface AttributedLabelSets {
  /** project, service, provider, model, tenant and feature. */
  attributed: KeyedLabels;
  inputTokens: KeyedLabels;
  outputTokens: KeyedLabels;
  cachedInputTokens: KeyedLabels;
  cacheWriteTokens: KeyedLabels;
  reasoningTokens: KeyedLabels;
}

/** Builds length-prefixed keys, so no value can run into the next one. */
function tupleKey(first: string, ...rest: string[]): string {
  let key = `${first.length}:${first}`;
  for (const value of rest) key += `${value.length}:${value}`;
  return key;
}

function withLabel(base: KeyedLabels, name: string, value: string): KeyedLabels {
  return keyedLabels({ ...base.labels, [name]: value });
}

/**
 * Caches the label sets, and their series keys, of the span-derived metrics per
 * distinct tuple of label values, so counting a call builds no label objects
 * and sorts no label names once its tuple has been seen.
 */
export class CallLabelSets {
  private readonly calls = new Map<string, KeyedLabels>();
  private readonly errors = new Map<string, KeyedLabels>();
  private readonly attributedSets = new Map<string, AttributedLabelSets>();

  /** Labels of the project, service, provider and model; an empty value means the label is absent. */
  call(project: string, service: string, provider: string, model: string): KeyedLabels {
    const key = tupleKey(project, service, provider, model);
    let labels = this.calls.get(key);
    if (labels === undefined) {
      labels = keyedLabels({
        [L.project]: project,
        [L.service]: service,
        [L.provider]: provider,
        [L.model]: model,
      });
      remember(this.calls, key, labels);
    }
    return labels;
  }

  error(call: KeyedLabels, errorType: string): KeyedLabels {
    const key = tupleKey(call.key, errorType);
    let labels = this.errors.get(key);
    if (labels === undefined) {
      labels = withLabel(call, L.errorType, errorType);
      remember(this.errors, key, labels);
    }
    return labels;
  }

  attributed(call: KeyedLabels, tenant: string, feature: string): AttributedLabelSets {
    const key = tupleKey(call.key, tenant, feature);
    let sets = this.attributedSets.get(key);
    if (sets === undefined) {
      sets = buildAttributed(
        keyedLabels({ ...call.labels, [L.tenant]: tenant, [L.feature]: feature }),
      );
      remember(this.attributedSets, key, sets);
    }
    return sets;
  }
}

function buildAttributed(attributed: KeyedLabels): AttributedLabelSets {
  return {
    attributed,
    inputTokens: withLabel(attributed, L.tokenType, 'input'),
    outputTokens: withLabel(attributed, L.tokenType, 'output'),
    cachedInputTokens: withLabel(attributed, L.tokenType, 'cached_input'),
    cacheWriteTokens: withLabel(attributed, L.tokenType, 'cache_write'),
    reasoningTokens: withLabel(attributed, L.tokenType, 'reasoning'),
  };
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= MAX_CACHED_LABEL_SETS) cache.clear();
  cache.set(key, value);
}
