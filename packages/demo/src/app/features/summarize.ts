import { SpanKind } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { buildDocument } from '../content.ts';
import { callChat } from '../model-calls.ts';
import type { RequestScope } from '../request-scope.ts';
import { inSpan } from '../spans.ts';

const SUMMARY_MODELS: readonly (readonly [string, number])[] = [
  ['gpt-4o-mini', 0.7],
  ['claude-3-5-haiku-20241022', 0.3],
];

/** Summarises one document of the batch job, whose service emits the legacy attribute names. */
export async function runSummarize(scope: RequestScope): Promise<void> {
  const random = scope.random;
  const document = buildDocument(random, random.int(1_500, 9_000));
  const model = random.weighted(SUMMARY_MODELS);
  const attributes = { 'document.length_chars': document.length };

  await inSpan(
    scope,
    ROOT_CONTEXT,
    'summarize document',
    SpanKind.INTERNAL,
    attributes,
    async (context) => {
      await scope.clock.work(random.int(10, 60));
      await callChat(scope, context, {
        model,
        messages: [
          { role: 'system', content: 'Summarise the document in five bullet points.' },
          { role: 'user', content: document },
        ],
        temperature: 0.2,
        maxTokens: 256,
        stream: false,
      });
    },
  );
}
