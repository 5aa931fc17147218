/** The artifact root handed to clients: the `mlflow-artifacts` scheme makes them upload through Foghorn. */
export const DEFAULT_ARTIFACT_ROOT = 'mlflow-artifacts:';

export function experimentArtifactLocation(experimentId: string): string {
  return `${DEFAULT_ARTIFACT_ROOT}/${experimentId}`;
}

export function runArtifactUri(experimentLocation: string, runId: string): string {
  return `${experimentLocation.replace(/\/+$/, '')}/${runId}/artifacts`;
}

export function loggedModelArtifactUri(experimentLocation: string, modelId: string): string {
  return `${experimentLocation.replace(/\/+$/, '')}/models/${modelId}/artifacts`;
}

/**
 * Returns the path below the artifact root for an `mlflow-artifacts:/path`
 * URI (the host form `mlflow-artifacts://host/path` included), or null for
 * other schemes.
 */
export function artifactPathOf(uri: string): string | null {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(uri);
  return match ? match[1]! : null;
}
