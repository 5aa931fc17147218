import type { ErasureRequest } from '../../src/erasure/erasure-types.ts';

/** Builds the store's erasure request for `userId` in the default project. */
export function erasureOf(userId = 'user-to-erase'): ErasureRequest {
  return {
    projectId: 'default',
    userIds: [userId],
    userIdKeys: [],
    loggedUserId: userId,
    requestedBy: 'test',
    requestedAtUnixMs: Date.UTC(2026, 10, 21),
  };
}
