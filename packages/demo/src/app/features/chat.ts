import { CHAT_SYSTEM_PROMPT, QUESTIONS } from '../content.ts';
import { callChat } from '../model-calls.ts';
import type { RequestScope } from '../request-scope.ts';
import { httpRoute } from './feature.ts';

const CHAT_MODELS: readonly (readonly [string, number])[] = [
  ['gpt-4o-mini', 0.6],
  ['gpt-4o', 0.25],
  ['claude-3-5-haiku-20241022', 0.15],
];

/** Runs a chat turn of the web app: one model call, streamed half of the time. */
export async function runChat(scope: RequestScope): Promise<void> {
  const random = scope.random;
  const model = random.weighted(CHAT_MODELS);
  const historyTurns = random.int(0, 3);
  const history = Array.from({ length: historyTurns }, () => [
    { role: 'user' as const, content: random.pick(QUESTIONS) },
    { role: 'assistant' as const, content: 'Here is what I found in the settings for that.' },
  ]).flat();

  await httpRoute(scope, 'POST', '/api/chat', async (context) => {
    await scope.clock.work(random.int(2, 8));
    await callChat(scope, context, {
      model,
      messages: [
        { role: 'system', content: CHAT_SYSTEM_PROMPT },
        ...history,
        { role: 'user', content: random.pick(QUESTIONS) },
      ],
      temperature: 0.7,
      maxTokens: 512,
      stream: random.chance(0.5),
    });
  });
}
