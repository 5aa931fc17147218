import type { FastifyBaseLogger } from 'fastify';
import type { ArtifactStore } from './artifact-store.ts';
import type { Fields } from './request-fields.ts';
import type { TrackingStore } from './tracking-store.ts';

/** What every MLflow handler works with. */
export interface TrackingContext {
  store: TrackingStore;
  artifacts: ArtifactStore;
  now: () => number;
  logger: FastifyBaseLogger;
}

/** One MLflow REST call: `fields` from the body (or the query for GET), `pathParams` from the URL. */
export interface MlflowCall {
  fields: Fields;
  pathParams: Record<string, string>;
  /** The user name of HTTP basic auth (`MLFLOW_TRACKING_USERNAME`), or null; the password is never read. */
  userName: string | null;
}

export type MlflowHandler = (context: TrackingContext, call: MlflowCall) => Promise<object>;

export interface MlflowRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below `/api/2.0/mlflow`. */
  path: string;
  handler: MlflowHandler;
}
