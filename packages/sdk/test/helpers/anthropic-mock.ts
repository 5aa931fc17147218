import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { readJson, sendJson, startEventStream } from './sse.ts';

/** Header that forces an outcome: ok, rate_limit, overloaded, authentication, invalid_request, stream_error. */
export const ANTHROPIC_OUTCOME_HEADER = 'x-mock-outcome';

/** Usage every successful call reports, in Anthropic's meaning (input excludes the cache). */
export const ANTHROPIC_MOCK_USAGE = Object.freeze({
  input_tokens: 21,
  cache_read_input_tokens: 1200,
  cache_creation_input_tokens: 300,
});

/** Delay before the first streamed event, so time to first chunk is clearly above zero. */
export const FIRST_EVENT_DELAY_MS = 40;

export interface AnthropicMock {
  /** The base URL for `new Anthropic({ baseURL })`. */
  url: string;
  requestCount: number;
  close(): Promise<void>;
}

const ANSWER = 'The invoice was sent on Monday and the refund is approved.';

const ERRORS: Readonly<Record<string, [number, string, string]>> = {
  rate_limit: [
    429,
    'rate_limit_error',
    'Number of request tokens has exceeded your per-minute rate limit',
  ],
  overloaded: [529, 'overloaded_error', 'Overloaded'],
  authentication: [401, 'authentication_error', 'invalid x-api-key'],
  invalid_request: [400, 'invalid_request_error', 'max_tokens: Field required'],
};

/** Starts a mock of the Anthropic Messages API (`POST /v1/messages`, JSON and SSE) on 127.0.0.1. */
export async function startAnthropicMock(): Promise<AnthropicMock> {
  const state = { requestCount: 0 };
  const server = createServer((request, response) => {
    handle(request, response, state).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requestCount() {
      return state.requestCount;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  state: { requestCount: number },
): Promise<void> {
  if (request.method !== 'POST' || request.url !== '/v1/messages') {
    sendJson(response, 404, {
      type: 'error',
      error: { type: 'not_found_error', message: 'Not found' },
    });
    return;
  }
  const body = await readJson(request);
  state.requestCount++;
  const outcome = String(request.headers[ANTHROPIC_OUTCOME_HEADER] ?? 'ok');
  const error = ERRORS[outcome];
  if (error !== undefined) {
    const [status, type, message] = error;
    sendJson(
      response,
      status,
      { type: 'error', error: { type, message }, request_id: 'req_mock' },
      { 'request-id': 'req_mock' },
    );
    return;
  }
  const message = buildMessage(body);
  if (body.stream === true) await streamMessage(response, message, outcome === 'stream_error');
  else sendJson(response, 200, message, { 'request-id': 'req_mock' });
}

function buildMessage(body: Record<string, any>) {
  const tool = Array.isArray(body.tools) && body.tools.length > 0 ? body.tools[0] : null;
  const content =
    tool === null
      ? [{ type: 'text', text: ANSWER }]
      : [
          {
            type: 'tool_use',
            id: 'toolu_mock_01',
            name: tool.name,
            input: { city: 'Oslo', days: 3 },
          },
        ];
  return {
    id: 'msg_mock_01',
    type: 'message',
    role: 'assistant',
    model: `${body.model}-20251001`,
    content,
    stop_reason: tool === null ? 'end_turn' : 'tool_use',
    stop_sequence: null,
    usage: {
      ...ANTHROPIC_MOCK_USAGE,
      output_tokens: tool === null ? ANSWER.split(' ').length : 17,
    },
  };
}

async function streamMessage(
  response: ServerResponse,
  message: ReturnType<typeof buildMessage>,
  failMidway: boolean,
): Promise<void> {
  const send = startEventStream(response);
  await sleep(FIRST_EVENT_DELAY_MS);
  const startUsage = { ...message.usage, output_tokens: 1 };
  send('message_start', {
    type: 'message_start',
    message: { ...message, content: [], stop_reason: null, usage: startUsage },
  });
  const block = message.content[0]!;
  if (block.type === 'text') {
    send('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    });
    for (const word of (block as { text: string }).text.split(' ')) {
      send('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: `${word} ` },
      });
    }
  } else {
    const { input, ...start } = block as { input: unknown };
    send('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { ...start, input: {} },
    });
    const json = JSON.stringify(input);
    for (const piece of [json.slice(0, 9), json.slice(9)]) {
      send('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: piece },
      });
    }
  }
  if (failMidway) {
    send('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    response.end();
    return;
  }
  send('content_block_stop', { type: 'content_block_stop', index: 0 });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: message.usage.output_tokens },
  });
  send('message_stop', { type: 'message_stop' });
  response.end();
}
