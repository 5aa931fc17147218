import { DEFAULT_PROJECT_ID } from '../../../auth/request-scope.ts';
import { ensureDefaultExperiment } from './experiments-sql.ts';
import type { TrackingDb } from './tracking-db.ts';

/**
 * Creates each project's Default experiment (id 0) once, the first time the
 * project's store is used. The default project's is created when the store opens.
 */
export class ProjectDefaults {
  private readonly ready = new Map<string, Promise<void>>([
    [DEFAULT_PROJECT_ID, Promise.resolve()],
  ]);

  constructor(
    private readonly db: TrackingDb,
    private readonly nowMs: number,
  ) {}

  ensure(projectId: string): Promise<void> {
    let ready = this.ready.get(projectId);
    if (ready === undefined) {
      ready = this.db.transaction((tx) => ensureDefaultExperiment(tx, projectId, this.nowMs));
      // A failed attempt is retried by the next call instead of failing forever.
      ready.catch(() => this.ready.delete(projectId));
      this.ready.set(projectId, ready);
    }
    return ready;
  }
}
