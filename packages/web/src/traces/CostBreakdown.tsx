import type { JSX } from 'preact';
import type { TraceSpan } from '../api/types.ts';
import { formatCount, formatUsd } from '../lib/format.ts';

interface CostLine {
  part: string;
  tokens: number;
  /** Price in USD per million tokens, when the span carries the prices it was priced with. */
  usdPerMTok: number | null;
  costUsd: number | null;
}

function priceOf(span: TraceSpan, name: string): number | null {
  const value = span.cost.pricesUsdPerMTok?.[name];
  return typeof value === 'number' ? value : null;
}

/**
 * Lists the cost parts: uncached input (input minus cache reads and writes), cache reads,
 * cache writes and output, each with its token count and, where known, its price.
 */
function costLines(span: TraceSpan): CostLine[] {
  const usage = span.usage;
  const uncachedInput = Math.max(
    0,
    usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens,
  );
  return [
    {
      part: 'Uncached input',
      tokens: uncachedInput,
      usdPerMTok: priceOf(span, 'input'),
      costUsd: span.cost.inputUsd,
    },
    {
      part: 'Cache reads',
      tokens: usage.cachedInputTokens,
      usdPerMTok: priceOf(span, 'cacheRead'),
      costUsd: span.cost.cacheReadUsd,
    },
    {
      part: 'Cache writes',
      tokens: usage.cacheWriteTokens,
      usdPerMTok: priceOf(span, 'cacheWrite'),
      costUsd: span.cost.cacheWriteUsd,
    },
    {
      part: 'Output (with reasoning)',
      tokens: usage.outputTokens,
      usdPerMTok: priceOf(span, 'output'),
      costUsd: span.cost.outputUsd,
    },
  ];
}

/** Shows a call's tokens, each cost part with its formula, and the price-table entry used. */
export function CostBreakdown({ span }: { span: TraceSpan }): JSX.Element {
  const usage = span.usage;
  return (
    <section class="span-section" data-section="cost">
      <h4>Tokens and cost</h4>
      <p class="span-facts">
        {formatCount(usage.inputTokens)} input ({formatCount(usage.cachedInputTokens)} cached,{' '}
        {formatCount(usage.cacheWriteTokens)} cache writes) · {formatCount(usage.outputTokens)}{' '}
        output ({formatCount(usage.reasoningTokens)} reasoning)
      </p>
      {span.cost.totalUsd === null ? (
        <p class="panel-note">
          Unpriced:{' '}
          {span.isLlmCall
            ? `no price-table entry matches ${span.model ?? 'this model'}`
            : 'not an LLM call'}
          .
        </p>
      ) : (
        <table class="data-table cost-table">
          <thead>
            <tr>
              <th scope="col">Part</th>
              <th scope="col">Formula</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {costLines(span).map((line) => (
              <tr key={line.part}>
                <th scope="row">{line.part}</th>
                <td>
                  {formatCount(line.tokens)} tok
                  {line.usdPerMTok === null ? '' : ` × $${line.usdPerMTok}/MTok`}
                </td>
                <td>{formatUsd(line.costUsd)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td>
                {span.cost.priceModel ?? '—'}
                {span.cost.priceTableVersion === null
                  ? ''
                  : ` (price table ${span.cost.priceTableVersion})`}
              </td>
              <td data-testid="span-cost-total">{formatUsd(span.cost.totalUsd)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
