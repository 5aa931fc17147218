import type { Logger } from 'pino';
import type { AuditEntry, AuditQuery, AuthStore } from '../store/auth-store.ts';

export type AuditInput = Omit<
  AuditEntry,
  'timeUnixMs' | 'detail' | 'target' | 'projectId' | 'address'
> &
  Partial<Pick<AuditEntry, 'detail' | 'target' | 'projectId' | 'address'>>;

/**
 * Writes audit entries. A failed write is logged at error level and does not
 * fail the request it describes, because the action has already happened.
 */
export class AuditLog {
  constructor(
    private readonly store: AuthStore,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  async record(input: AuditInput): Promise<void> {
    const entry: AuditEntry = {
      timeUnixMs: this.now(),
      projectId: null,
      target: null,
      address: null,
      detail: {},
      ...input,
    };
    try {
      await this.store.appendAudit(entry);
    } catch (error) {
      this.logger.error(
        { err: error, action: entry.action, actor: entry.actor },
        'writing an audit entry failed',
      );
    }
  }

  query(query: AuditQuery): Promise<AuditEntry[]> {
    return this.store.queryAudit(query);
  }
}
