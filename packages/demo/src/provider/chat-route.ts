import type { ServerResponse } from 'node:http';
import type { CallContext } from './call-context.ts';
import type { ChatRequest } from './chat-request.ts';
import type { ChatUsage, Completion } from './completion.ts';
import { computeUsage, planCompletion } from './completion.ts';
import { sendJson } from './http-io.ts';
import { MOCK_HEADERS } from './protocol.ts';

/** Waits for the given time in live mode; resolves at once in simulated mode. */
export type Wait = (durationMs: number) => Promise<void>;

/** Responds to `POST /v1/chat/completions` for a call whose outcome is `ok`. */
export async function answerChat(
  request: ChatRequest,
  call: CallContext,
  response: ServerResponse,
  wait: Wait,
): Promise<void> {
  const completion = planCompletion(request, call.model, call.random);
  const usage = computeUsage(request, call.model, completion);
  const identity = {
    id: `chatcmpl-${call.random.hex(29)}`,
    created: Math.floor(Date.now() / 1000),
    model: call.model.responseModel,
    system_fingerprint: `fp_${call.random.hex(10)}`,
  };
  if (request.stream === true) {
    const includeUsage = request.stream_options?.include_usage === true;
    await streamChat(identity, completion, includeUsage ? usage : null, call, response, wait);
    return;
  }
  await wait(call.plan.latencyMs);
  sendJson(response, 200, completionBody(identity, completion, usage), call.headers);
}

interface Identity {
  id: string;
  created: number;
  model: string;
  system_fingerprint: string;
}

function completionBody(identity: Identity, completion: Completion, usage: ChatUsage): unknown {
  const message = {
    role: 'assistant',
    content: completion.content,
    refusal: null,
    ...(completion.toolCalls.length > 0 ? { tool_calls: completion.toolCalls } : {}),
  };
  return {
    ...identity,
    object: 'chat.completion',
    choices: [{ index: 0, message, logprobs: null, finish_reason: completion.finishReason }],
    usage,
    service_tier: 'default',
  };
}

/**
 * Streams the completion as server-sent events. A role chunk comes after the
 * time to first chunk, and content pieces spread over the rest of the latency.
 * A chunk with the finish reason, a usage chunk without choices (when
 * requested) and `[DONE]` end the stream.
 */
async function streamChat(
  identity: Identity,
  completion: Completion,
  usage: ChatUsage | null,
  call: CallContext,
  response: ServerResponse,
  wait: Wait,
): Promise<void> {
  const deltas = streamDeltas(completion);
  const chunk = (choices: unknown[], chunkUsage?: ChatUsage): string =>
    `data: ${JSON.stringify({
      ...identity,
      object: 'chat.completion.chunk',
      choices,
      ...(usage !== null ? { usage: chunkUsage ?? null } : {}),
    })}\n\n`;
  const delta = (value: unknown, finishReason: string | null = null): unknown[] => [
    { index: 0, delta: value, logprobs: null, finish_reason: finishReason },
  ];

  response.writeHead(200, {
    ...call.headers,
    [MOCK_HEADERS.timeToFirstChunkMs]: String(call.plan.timeToFirstChunkMs),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  await wait(call.plan.timeToFirstChunkMs);
  writeIfOpen(response, chunk(delta({ role: 'assistant', content: '', refusal: null })));

  const pieceWaitMs =
    (call.plan.latencyMs - call.plan.timeToFirstChunkMs) / Math.max(1, deltas.length);
  for (const value of deltas) {
    await wait(pieceWaitMs);
    writeIfOpen(response, chunk(delta(value)));
  }
  writeIfOpen(response, chunk(delta({}, completion.finishReason)));
  if (usage !== null) writeIfOpen(response, chunk([], usage));
  writeIfOpen(response, 'data: [DONE]\n\n');
  if (!response.destroyed) response.end();
}

function streamDeltas(completion: Completion): unknown[] {
  if (completion.toolCalls.length > 0) {
    const toolCalls = completion.toolCalls.map((call, index) => ({ index, ...call }));
    return [{ tool_calls: toolCalls }];
  }
  const words = (completion.content ?? '').split(' ');
  const pieces: unknown[] = [];
  for (let start = 0; start < words.length; start += 3) {
    const piece = words.slice(start, start + 3).join(' ');
    pieces.push({ content: start === 0 ? piece : ` ${piece}` });
  }
  return pieces;
}

function writeIfOpen(response: ServerResponse, text: string): void {
  if (!response.destroyed && !response.writableEnded) response.write(text);
}
