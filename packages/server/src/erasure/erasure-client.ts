import { ConfigError } from '../errors.ts';

/** Sends an erasure to a running server and returns the response body; throws with the server's message on failure. */
export async function requestErasure(
  baseUrl: string,
  userId: string,
  requestedBy: string,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(new URL('/api/v1/privacy/erasure', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, requestedBy }),
    });
  } catch (error) {
    throw new ConfigError(
      `could not reach ${baseUrl}: ${(error as Error).message}; check --url and that the server runs`,
    );
  }
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!response.ok) {
    throw new ConfigError(
      `the server rejected the erasure with HTTP ${response.status}: ${body?.error?.message ?? 'no message'}`,
    );
  }
  return body;
}

/** Formats the counts of an erasure response as lines for the terminal. */
export function formatErasure(body: unknown): string {
  const { erasureId, counts } = body as { erasureId: string; counts: Record<string, number> };
  const lines = Object.entries(counts).map(([table, count]) => `  ${table.padEnd(14)} ${count}`);
  return `erasure ${erasureId}: rows deleted per table\n${lines.join('\n')}\n`;
}
