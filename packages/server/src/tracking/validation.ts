import { posix } from 'node:path';
import type { KeyValue, Metric } from './entities.ts';
import { invalidParameter } from './mlflow-error.ts';

/** MLflow's limits (`mlflow/utils/validation.py`, 3.x). */
export const LIMITS = Object.freeze({
  paramKeyChars: 250,
  paramValueChars: 6000,
  tagKeyChars: 250,
  tagValueChars: 8000,
  experimentTagValueChars: 5000,
  registryTagValueChars: 100_000,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchEntities: 1000,
});

const VALID_NAME = /^[/\w.\- :]*$/;

/** Rejects names MLflow rejects: other characters, or paths that normalize to another name. */
export function validateName(kind: 'metric' | 'param' | 'tag', name: string): void {
  if (!VALID_NAME.test(name)) {
    throw invalidParameter(
      `Invalid ${kind} name: '${name}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  const normalized = posix.normalize(name);
  if (name !== '' && (normalized !== name || name.startsWith('/') || name.startsWith('../'))) {
    throw invalidParameter(
      `Invalid ${kind} name: '${name}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normalized}'`,
    );
  }
}

function checkLength(what: string, text: string, limit: number): void {
  if (text.length > limit) {
    const shown = text.length > 100 ? `${text.slice(0, 100)}...` : text;
    throw invalidParameter(
      `${what} '${shown}' had length ${text.length}, which exceeded length limit of ${limit}`,
    );
  }
}

export function validateParam(param: KeyValue): void {
  validateName('param', param.key);
  checkLength('Param key', param.key, LIMITS.paramKeyChars);
  checkLength('Param value', param.value, LIMITS.paramValueChars);
}

export function validateTag(tag: KeyValue, valueLimit: number = LIMITS.tagValueChars): void {
  validateName('tag', tag.key);
  checkLength('Tag key', tag.key, LIMITS.tagKeyChars);
  checkLength('Tag value', tag.value, valueLimit);
}

export function validateMetric(metric: Metric): void {
  validateName('metric', metric.key);
  if (metric.timestampMs < 0) {
    throw invalidParameter(
      `Got invalid timestamp ${metric.timestampMs} for metric '${metric.key}' (value=${metric.value}). Timestamp must be a nonnegative long (64-bit integer)`,
    );
  }
}

export function validateBatchSize(metrics: number, params: number, tags: number): void {
  const check = (count: number, limit: number, what: string): void => {
    if (count > limit) {
      throw invalidParameter(
        `A batch logging request can contain at most ${limit} ${what}. Got ${count} ${what}. Please split up ${what} across multiple requests and try again.`,
      );
    }
  };
  check(metrics, LIMITS.batchMetrics, 'metrics');
  check(params, LIMITS.batchParams, 'params');
  check(tags, LIMITS.batchTags, 'tags');
  const total = metrics + params + tags;
  if (total > LIMITS.batchEntities) {
    throw invalidParameter(
      `A batch logging request can contain at most ${LIMITS.batchEntities} metrics, params, and tags in total. Got ${total} in total. Please split up entities across multiple requests and try again.`,
    );
  }
}
