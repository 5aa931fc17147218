import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenAiErrorResponse } from './openai-errors.ts';
import { openAiError } from './openai-errors.ts';

/** Request bodies above this size are rejected with 413. */
export const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

/** A failure to read a request, carrying the OpenAI error to send back. */
export class RequestRejection extends Error {
  readonly response: OpenAiErrorResponse;

  constructor(response: OpenAiErrorResponse) {
    super(response.body.error.message);
    this.response = response;
  }
}

export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    sizeBytes += buffer.length;
    if (sizeBytes > MAX_REQUEST_BODY_BYTES) {
      throw rejection(
        413,
        `The request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes. Send a smaller request.`,
      );
    }
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error) {
    throw rejection(400, `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

export function rejection(
  status: number,
  message: string,
  code: string | null = null,
): RequestRejection {
  return new RequestRejection(openAiError(status, 'invalid_request_error', code, message));
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  if (response.destroyed || response.writableEnded) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

export function sendError(
  response: ServerResponse,
  error: OpenAiErrorResponse,
  headers: Record<string, string>,
): void {
  sendJson(response, error.status, error.body, { ...headers, ...error.headers });
}
