import { MOCK_HEADERS } from '../provider/protocol.ts';
import type { RequestScope } from './request-scope.ts';

/** One help-centre article of the demo's retrieval corpus. */
export interface Article {
  id: string;
  title: string;
  text: string;
}

export interface ScoredArticle {
  article: Article;
  score: number;
}

/** The data source id the retrieval spans report. */
export const CORPUS_DATA_SOURCE_ID = 'help-center-articles';

export const ARTICLES: readonly Article[] = Object.freeze([
  article(
    'kb-001',
    'Resetting your password',
    'Open account settings, choose security, and select reset password. A reset link arrives by email and expires after one hour.',
  ),
  article(
    'kb-002',
    'Refund policy',
    'Refunds are approved within two business days and reach the bank after five more days. Annual plans are refunded pro rata.',
  ),
  article(
    'kb-003',
    'Shipping times',
    'Orders ship on the next business day. Standard shipping takes three to five days and express shipping takes one day.',
  ),
  article(
    'kb-004',
    'Exporting reports',
    'Reports export as CSV or PDF from the reports page. Large exports run in the background and send an email when done.',
  ),
  article(
    'kb-005',
    'Single sign-on',
    'Administrators enable SAML single sign-on under organisation settings and upload the identity provider metadata.',
  ),
  article(
    'kb-006',
    'API rate limits',
    'The API allows 600 requests per minute per key. A 429 response includes a retry-after header in seconds.',
  ),
  article(
    'kb-007',
    'Changing your plan',
    'Upgrades take effect at once and are billed pro rata. Downgrades take effect at the end of the billing period.',
  ),
  article(
    'kb-008',
    'Two-factor authentication',
    'Enable two-factor authentication with an authenticator app. Recovery codes are shown once, so store them safely.',
  ),
  article(
    'kb-009',
    'Deleting an account',
    'Account deletion removes all data after a thirty day grace period. Owners can cancel the deletion during that time.',
  ),
  article(
    'kb-010',
    'Webhook retries',
    'Failed webhooks retry with exponential backoff for up to twenty four hours. Each delivery carries a signature header.',
  ),
  article(
    'kb-011',
    'Invoices and receipts',
    'Invoices are available on the billing page. Add a VAT number before the invoice date to show it on the invoice.',
  ),
  article(
    'kb-012',
    'Data retention',
    'Event data is kept for ninety days on the standard plan and for one year on the enterprise plan.',
  ),
]);

/** A vector index over the corpus; the vectors come from the provider's embeddings endpoint. */
export interface CorpusIndex {
  search(queryVector: readonly number[], topK: number): ScoredArticle[];
}

/** Embeds every article with one untraced call, in simulated mode so it returns at once. */
export async function buildCorpusIndex(
  scope: Pick<RequestScope, 'gateway'>,
  model: string,
): Promise<CorpusIndex> {
  const result = await scope.gateway.embed(
    model,
    ARTICLES.map((entry) => `${entry.title}. ${entry.text}`),
    { requestKey: 'corpus-index', simulated: true, headers: { [MOCK_HEADERS.outcome]: 'ok' } },
  );
  const vectors = result.vectors;
  return {
    search: (queryVector, topK) =>
      ARTICLES.map((entry, index) => ({
        article: entry,
        score: cosine(queryVector, vectors[index] ?? []),
      }))
        .sort((left, right) => right.score - left.score)
        .slice(0, topK),
  };
}

function cosine(left: readonly number[], right: readonly number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}

function article(id: string, title: string, text: string): Article {
  return { id, title, text };
}
