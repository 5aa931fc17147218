import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads a JSON request body. */
export async function readJson(request: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Starts a server-sent event stream and returns a writer of named events. */
export function startEventStream(
  response: ServerResponse,
): (event: string | null, data: unknown) => void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  return (event, data) => {
    const prefix = event === null ? '' : `event: ${event}\n`;
    response.write(`${prefix}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  };
}
