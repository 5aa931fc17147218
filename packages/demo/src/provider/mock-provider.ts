import type { IncomingMessage, ServerResponse } from 'node:http';
import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallContext } from './call-context.ts';
import { createCallContext } from './call-context.ts';
import type { ChatRequest } from './chat-request.ts';
import { findChatRequestError } from './chat-request.ts';
import type { Wait } from './chat-route.ts';
import { answerChat } from './chat-route.ts';
import type { EmbeddingsRequest } from './embeddings-route.ts';
import { answerEmbeddings, readEmbeddingInputs } from './embeddings-route.ts';
import { RequestRejection, readJsonBody, rejection, sendError } from './http-io.ts';
import type { MockModel } from './model-table.ts';
import { DEFAULT_MOCK_MODELS } from './model-table.ts';
import { errorForOutcome } from './openai-errors.ts';

export interface MockProviderOptions {
  /** Seeds every random choice; default 1. */
  seed?: number;
  /** The models served; default `DEFAULT_MOCK_MODELS`. */
  models?: readonly MockModel[];
  /** A `timeout` outcome keeps its response open until the client disconnects or this time passes; default 60000. */
  maxHoldMs?: number;
  log?: (line: string) => void;
}

export interface MockProvider {
  /** The base URL for the `openai` client, ending in `/v1`. */
  url: string;
  close(): Promise<void>;
}

interface ProviderState {
  seed: number;
  models: ReadonlyMap<string, MockModel>;
  maxHoldMs: number;
  log: (line: string) => void;
  /** Aborted on close, so pending waits end with the server. */
  closing: AbortController;
  requestCount: number;
}

/**
 * Starts an OpenAI-compatible mock LLM provider on 127.0.0.1 with an
 * ephemeral port. It serves `POST /v1/chat/completions` and
 * `POST /v1/embeddings` for the models of its table.
 */
export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const state: ProviderState = {
    seed: options.seed ?? 1,
    models: new Map((options.models ?? DEFAULT_MOCK_MODELS).map((model) => [model.name, model])),
    maxHoldMs: options.maxHoldMs ?? 60_000,
    log: options.log ?? (() => {}),
    closing: new AbortController(),
    requestCount: 0,
  };
  // Every pending wait listens on the close signal, and there is one per open request.
  setMaxListeners(0, state.closing.signal);
  const server = createServer((request, response) => {
    response.on('error', () => {});
    handleRequest(request, response, state).catch((error: unknown) =>
      failRequest(response, error, state),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      state.closing.abort();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  return { url: `http://127.0.0.1:${port}/v1`, close };
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  state: ProviderState,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  const route = `${request.method ?? ''} ${path}`;
  if (route !== 'POST /v1/chat/completions' && route !== 'POST /v1/embeddings') {
    throw rejection(
      404,
      `Unknown request URL: ${route}. The mock serves POST /v1/chat/completions and POST /v1/embeddings.`,
      'unknown_url',
    );
  }
  const body = await readJsonBody(request);
  const model = findModel(body, route === 'POST /v1/embeddings' ? 'embeddings' : 'chat', state);
  state.requestCount += 1;
  const call = createCallContext(request.headers, model, state.seed, state.requestCount);
  const wait: Wait = call.simulated
    ? async () => {}
    : (durationMs) => sleepUnlessClosed(durationMs, state);

  if (call.plan.outcome === 'timeout') {
    await holdUntilClientLeaves(response, state.maxHoldMs, state);
    return;
  }
  const error = errorForOutcome(call.plan.outcome, model.name);
  if (error !== null) {
    await wait(call.plan.latencyMs);
    sendError(response, error, call.headers);
    return;
  }
  await answer(route, body, call, response, wait);
}

async function answer(
  route: string,
  body: unknown,
  call: CallContext,
  response: ServerResponse,
  wait: Wait,
): Promise<void> {
  if (route === 'POST /v1/embeddings') {
    const inputs = readEmbeddingInputs(body);
    await answerEmbeddings(body as EmbeddingsRequest, inputs, call, response, wait);
    return;
  }
  const problem = findChatRequestError(body);
  if (problem !== null) throw rejection(400, problem);
  await answerChat(body as ChatRequest, call, response, wait);
}

function findModel(body: unknown, kind: MockModel['kind'], state: ProviderState): MockModel {
  const name = (body as { model?: unknown } | null)?.model;
  if (typeof name !== 'string') throw rejection(400, "'model' is required and must be a string");
  const model = state.models.get(name);
  if (model === undefined || model.kind !== kind) {
    const known = [...state.models.values()]
      .filter((entry) => entry.kind === kind)
      .map((entry) => entry.name);
    throw rejection(
      404,
      `The model '${name}' does not exist for this endpoint. Use one of: ${known.join(', ')}.`,
      'model_not_found',
    );
  }
  return model;
}

/** Keeps the response open, as a hung upstream would, until the client disconnects. */
async function holdUntilClientLeaves(
  response: ServerResponse,
  maxHoldMs: number,
  state: ProviderState,
): Promise<void> {
  const left = new Promise<void>((resolve) => response.once('close', () => resolve()));
  await Promise.race([left, sleepUnlessClosed(maxHoldMs, state)]);
  response.destroy();
}

async function sleepUnlessClosed(durationMs: number, state: ProviderState): Promise<void> {
  await sleep(durationMs, undefined, { signal: state.closing.signal }).catch(() => {});
}

function failRequest(response: ServerResponse, error: unknown, state: ProviderState): void {
  if (error instanceof RequestRejection) {
    sendError(response, error.response, {});
    return;
  }
  state.log(`mock provider: request failed: ${(error as Error).message}`);
  if (response.headersSent) response.destroy();
  else sendError(response, rejection(500, 'The mock provider failed; see its log.').response, {});
}
