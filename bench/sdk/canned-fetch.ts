/** A chat completion as the OpenAI API returns it, with usage. */
const COMPLETION_BODY = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_760_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Your order shipped on Monday and arrives Thursday.',
        refusal: null,
      },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 1180,
    completion_tokens: 12,
    total_tokens: 1192,
    prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
  },
  service_tier: 'default',
});

function streamBody(): string {
  const base = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_760_000_000,
    model: 'gpt-4o-mini-2024-07-18',
  };
  const chunk = (choices: unknown[], usage: unknown = null): string =>
    `data: ${JSON.stringify({ ...base, choices, usage })}\n\n`;
  const words = ['Your', ' order', ' shipped', ' on', ' Monday', ' and', ' arrives', ' Thursday.'];
  return [
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    ...words.map((word) => chunk([{ index: 0, delta: { content: word }, finish_reason: null }])),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    chunk([], { prompt_tokens: 1180, completion_tokens: 12, total_tokens: 1192 }),
    'data: [DONE]\n\n',
  ].join('');
}

const STREAM_BODY = streamBody();

/**
 * Responds to requests of the `openai` client in-process, without network:
 * a JSON chat completion, or an SSE stream when the request asks for one.
 */
export async function cannedFetch(
  _url: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  const streaming = typeof init?.body === 'string' && init.body.includes('"stream":true');
  if (streaming) {
    return new Response(STREAM_BODY, {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
    });
  }
  return new Response(COMPLETION_BODY, {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-request-id': 'req_bench' },
  });
}
