import type { Attributes, Context } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import type { CorpusIndex } from '../corpus.ts';
import type { RequestScope } from '../request-scope.ts';
import { inSpan } from '../spans.ts';

export const FEATURE_NAMES = ['chat', 'rag-search', 'support-agent', 'summarize'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Shared state the features read. */
export interface FeatureDeps {
  corpus: CorpusIndex;
}

/** Runs `work` inside an HTTP SERVER root span that reports 200, or 502 when a model call fails. */
export function httpRoute(
  scope: RequestScope,
  method: string,
  route: string,
  work: (context: Context) => Promise<void>,
): Promise<void> {
  const attributes: Attributes = { 'http.request.method': method, 'http.route': route };
  return inSpan(
    scope,
    ROOT_CONTEXT,
    `${method} ${route}`,
    SpanKind.SERVER,
    attributes,
    async (context, span) => {
      await work(context);
      span.setAttribute('http.response.status_code', 200);
    },
    { 'http.response.status_code': 502, 'error.type': '502' },
  );
}
