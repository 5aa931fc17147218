import { hashContent } from '@foghorn/redact';
import type { Logger } from 'pino';
import type { UserIdentity } from '../privacy/span-privacy.ts';
import type { Store } from '../store/store.ts';
import type { ErasureLogEntry, ErasureRequest } from './erasure-types.ts';

/** An erasure request from the API or the CLI: a raw or pseudonymized user id and the requester. */
export interface ErasureCommand {
  /** The project the request was scoped to; only its data is erased. */
  projectId: string;
  userId: string;
  requestedBy: string;
}

/**
 * Builds the store request: both forms of the id, and the id written to the
 * erasure log, which is the pseudonym or, with pseudonyms off, a SHA-256 hash.
 */
export function toErasureRequest(
  command: ErasureCommand,
  identity: UserIdentity,
  nowMs: number,
): ErasureRequest {
  const pseudonym = identity.pseudonymize(command.userId);
  const userIds =
    pseudonym === null || pseudonym === command.userId
      ? [command.userId]
      : [command.userId, pseudonym];
  return {
    projectId: command.projectId,
    userIds,
    userIdKeys: identity.userIdKeys,
    loggedUserId: pseudonym ?? hashContent(command.userId),
    requestedBy: command.requestedBy,
    requestedAtUnixMs: nowMs,
  };
}

/** Erases one user's data, rebuilds the rollups of the erased traces and logs the counts without the raw id. */
export async function eraseUserData(
  store: Store,
  identity: UserIdentity,
  command: ErasureCommand,
  logger: Logger,
  nowMs: number,
): Promise<ErasureLogEntry> {
  const entry = await store.eraseUser(toErasureRequest(command, identity, nowMs));
  if (entry.spanWindow !== null) await store.rebuildRollups(entry.spanWindow);
  logger.info(
    {
      erasureId: entry.id,
      projectId: entry.projectId,
      user: entry.loggedUserId,
      requestedBy: entry.requestedBy,
      counts: entry.counts,
    },
    'privacy: erased user data',
  );
  return entry;
}
