import { userInfo } from 'node:os';
import type { ParsedOptions } from '../cli/options.ts';
import { ConfigError } from '../errors.ts';
import { formatErasure, requestErasure } from './erasure-client.ts';

function defaultRequester(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Runs `foghorn erase-user`: sends the erasure of --user to the server at --url and prints the counts per table. */
export async function runEraseUserCommand(
  options: ParsedOptions,
  write: (text: string) => void,
): Promise<number> {
  const userId = options.user;
  if (typeof userId !== 'string' || userId === '') {
    throw new ConfigError('--user is missing; pass the raw user id or its anon: pseudonym');
  }
  const requestedBy =
    typeof options['requested-by'] === 'string' ? options['requested-by'] : defaultRequester();
  const body = await requestErasure(String(options.url), userId, requestedBy);
  write(formatErasure(body));
  return 0;
}
