import { SpanKind } from '@opentelemetry/api';
import { CORPUS_DATA_SOURCE_ID } from '../corpus.ts';
import { QUESTIONS, RAG_SYSTEM_PROMPT } from '../content.ts';
import { callChat, callEmbeddings } from '../model-calls.ts';
import type { RequestScope } from '../request-scope.ts';
import { inSpan } from '../spans.ts';
import type { FeatureDeps } from './feature.ts';
import { httpRoute } from './feature.ts';

export const RAG_EMBEDDING_MODEL = 'text-embedding-3-small';
const RAG_TOP_K = 3;
const RAG_CHAT_MODELS: readonly (readonly [string, number])[] = [
  ['gemini-2.0-flash', 0.5],
  ['gpt-4o-mini', 0.5],
];

/**
 * Runs a search request through retrieval-augmented generation: a
 * `rag.pipeline` span around an embeddings call, a vector search over the
 * in-memory corpus and a chat call that cites the retrieved articles.
 */
export async function runRagSearch(scope: RequestScope, deps: FeatureDeps): Promise<void> {
  const random = scope.random;
  const question = random.pick(QUESTIONS);
  const model = random.weighted(RAG_CHAT_MODELS);

  await httpRoute(scope, 'GET', '/api/search', async (routeContext) => {
    await inSpan(scope, routeContext, 'rag.pipeline', SpanKind.INTERNAL, {}, async (context) => {
      const embedding = await callEmbeddings(scope, context, RAG_EMBEDDING_MODEL, [question]);
      const retrievalAttributes = {
        'gen_ai.operation.name': 'retrieval',
        'gen_ai.data_source.id': CORPUS_DATA_SOURCE_ID,
        'gen_ai.request.top_k': RAG_TOP_K,
      };
      const articles = await inSpan(
        scope,
        context,
        `retrieval ${CORPUS_DATA_SOURCE_ID}`,
        SpanKind.INTERNAL,
        retrievalAttributes,
        async () => {
          await scope.clock.work(random.int(5, 30));
          return deps.corpus.search(embedding.vectors[0] ?? [], RAG_TOP_K);
        },
      );
      const articlesText = articles
        .map(({ article }) => `[${article.id}] ${article.title}: ${article.text}`)
        .join('\n');
      await callChat(scope, context, {
        model,
        messages: [
          { role: 'system', content: `${RAG_SYSTEM_PROMPT}\n\n${articlesText}` },
          { role: 'user', content: question },
        ],
        temperature: 0.2,
        maxTokens: 400,
        stream: random.chance(0.35),
      });
    });
  });
}
