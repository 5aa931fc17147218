import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FIRST_EVENT_DELAY_MS } from './anthropic-mock.ts';
import { readJson, sendJson, startEventStream } from './sse.ts';

/** Usage of every successful response, in OpenAI's meaning (input includes cached tokens). */
export const RESPONSES_MOCK_USAGE = Object.freeze({
  input_tokens: 640,
  input_tokens_details: { cached_tokens: 512 },
  output_tokens: 180,
  output_tokens_details: { reasoning_tokens: 128 },
  total_tokens: 820,
});

export interface ResponsesMock {
  /** The base URL for `new OpenAI({ baseURL })`, ending in `/v1`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a mock of the OpenAI Responses API (`POST /v1/responses`, JSON and
 * SSE) on 127.0.0.1. Header `x-mock-outcome: failed` streams a `response.failed` event.
 */
export async function startResponsesMock(): Promise<ResponsesMock> {
  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST' || request.url !== '/v1/responses') {
    sendJson(response, 404, {
      error: { message: 'not found', type: 'invalid_request_error', param: null, code: null },
    });
    return;
  }
  const body = await readJson(request);
  const completed = buildResponse(body, 'completed');
  if (body.stream !== true) {
    sendJson(response, 200, completed);
    return;
  }
  const send = startEventStream(response);
  await sleep(FIRST_EVENT_DELAY_MS);
  let sequence = 0;
  const event = (type: string, fields: object): void =>
    send(type, { type, sequence_number: sequence++, ...fields });
  event('response.created', { response: buildResponse(body, 'in_progress') });
  for (const word of 'Paris is the capital of France.'.split(' ')) {
    event('response.output_text.delta', {
      item_id: 'msg_mock',
      output_index: 0,
      content_index: 0,
      delta: `${word} `,
      logprobs: [],
    });
  }
  if (request.headers['x-mock-outcome'] === 'failed') {
    const failed = {
      ...buildResponse(body, 'failed'),
      error: { code: 'server_error', message: 'The model failed' },
    };
    event('response.failed', { response: failed });
  } else {
    event('response.completed', { response: completed });
  }
  response.end();
}

function buildResponse(body: Record<string, any>, status: string) {
  const done = status !== 'in_progress';
  return {
    id: 'resp_mock_01',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    model: `${body.model}-2025-04-14`,
    output: done
      ? [
          {
            type: 'message',
            id: 'msg_mock',
            status: 'completed',
            role: 'assistant',
            content: [
              { type: 'output_text', text: 'Paris is the capital of France.', annotations: [] },
            ],
          },
        ]
      : [],
    usage: done && status === 'completed' ? RESPONSES_MOCK_USAGE : null,
    incomplete_details: null,
    error: null,
  };
}
