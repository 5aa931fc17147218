import { requestScope } from '../auth/request-scope.ts';
import type { TrackingContext } from './tracking-context.ts';

/**
 * Returns the context of the request's project: its view of the tracking
 * store and its artifact root. Handlers given this context cannot reach
 * another project's experiments, runs, models or artifact files.
 */
export function projectContext(context: TrackingContext, request: object): TrackingContext {
  const { projectId } = requestScope(request);
  return {
    ...context,
    store: context.store.forProject(projectId),
    artifacts: context.artifacts.forProject(projectId),
  };
}
