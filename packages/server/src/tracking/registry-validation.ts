import { MODEL_STAGES, type ModelStage } from './entities.ts';
import { invalidParameter } from './mlflow-error.ts';

/** Canonicalizes a stage name case-insensitively (`staging` is `Staging`). */
export function parseStage(stage: string): ModelStage {
  const found = MODEL_STAGES.find((candidate) => candidate.toLowerCase() === stage.toLowerCase());
  if (found === undefined) {
    throw invalidParameter(
      `Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_STAGES.join(', ')}.`,
    );
  }
  return found;
}

export function parseVersion(version: string): number {
  if (!/^\d{1,9}$/.test(version.trim())) {
    throw invalidParameter(`Model version must be an integer, got '${version}'.`);
  }
  return Number(version.trim());
}

/** Applies MLflow's alias rules: word characters and dashes, at most 255 of them, not `latest` or `v<digits>`. */
export function validateAlias(alias: string): void {
  if (!/^[\w-]*$/.test(alias) || alias.length === 0 || alias.length > 255) {
    throw invalidParameter(
      `Invalid alias name '${alias}': an alias is 1 to 255 characters of letters, digits, underscores (_) and dashes (-).`,
    );
  }
  if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias)) {
    throw invalidParameter(
      `Invalid alias name '${alias}': 'latest' and 'v<number>' are reserved because they already address versions.`,
    );
  }
}

/** Rejects model version sources with `..` segments, NUL or encoded traversal. */
export function validateSource(source: string): void {
  let decoded = source;
  try {
    decoded = decodeURIComponent(source);
  } catch {
    // A source that is not valid percent-encoding is checked as written.
  }
  const unsafe = [source, decoded].some(
    (text) => text.includes('\0') || text.split(/[\\/]/).some((segment) => segment === '..'),
  );
  if (unsafe) {
    throw invalidParameter(
      `Invalid model version source: '${source}'. It must not contain '..' or NUL.`,
    );
  }
}
