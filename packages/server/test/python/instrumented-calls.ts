import { expect } from 'vitest';
import type { TestServer } from '../helpers/server.ts';
import { expectedCostUsd, type PricedModel } from './expected-cost.ts';

/** Usage of one chat completion as the `openai` client returned it. */
export interface ClientUsage {
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
}

/** The report of a script that runs a wrapper function around a gpt-4o and a gpt-4o-mini call. */
export interface InstrumentedRunReport {
  trace_id: string;
  calls: Record<PricedModel, ClientUsage>;
}

/**
 * Checks the summary by model against the usage the client saw: one request
 * per model (the wrapper span adds none), input tokens including cached ones,
 * and the cost with cached input at the cache-read price.
 */
export async function expectSummaryMatchesClient(
  server: TestServer,
  window: string,
  report: InstrumentedRunReport,
): Promise<void> {
  const { status, body } = await server.getJson(`/api/v1/llm/summary?groupBy=model&${window}`);
  expect(status).toBe(200);
  const byKey = Object.fromEntries(body.groups.map((group: any) => [group.key, group]));
  expect(Object.keys(byKey).sort()).toEqual(['gpt-4o', 'gpt-4o-mini']);

  for (const model of ['gpt-4o', 'gpt-4o-mini'] as const) {
    const group = byKey[model];
    const usage = report.calls[model];
    expect(group.requests).toBe(1);
    expect(group.errors).toBe(0);
    expect(group.tokens.input).toBe(usage.prompt_tokens);
    expect(group.tokens.cachedInput).toBe(usage.cached_tokens);
    expect(group.tokens.output).toBe(usage.completion_tokens);
    expect(group.costUsd).toBeCloseTo(
      expectedCostUsd(model, {
        inputTokens: usage.prompt_tokens,
        cachedInputTokens: usage.cached_tokens,
        outputTokens: usage.completion_tokens,
      }),
      12,
    );
  }
}

/**
 * Fetches the run's trace and checks its shape: the wrapper span first, not an
 * LLM call and without usage, then the two chat calls as its children with
 * the models and usage the client saw. Returns the spans for further checks.
 */
export async function expectTraceOfRun(
  server: TestServer,
  report: InstrumentedRunReport,
  names: { wrapper: string; call: string },
): Promise<any[]> {
  const { status, body } = await server.getJson(`/api/v1/traces/${report.trace_id}`);
  expect(status).toBe(200);
  expect(body.spans.map((span: any) => span.name)).toEqual([names.wrapper, names.call, names.call]);

  const [wrapper, longCall, shortCall] = body.spans;
  expect(wrapper.isLlmCall).toBe(false);
  expect(wrapper.operation).toBe('invoke_workflow');
  expect(wrapper.usage.inputTokens).toBe(0);
  expect(wrapper.cost.totalUsd).toBeNull();

  const calls: [any, PricedModel][] = [
    [longCall, 'gpt-4o'],
    [shortCall, 'gpt-4o-mini'],
  ];
  for (const [span, model] of calls) {
    const usage = report.calls[model];
    expect(span.parentSpanId).toBe(wrapper.spanId);
    expect(span.isLlmCall).toBe(true);
    expect(span.operation).toBe('chat');
    expect(span.provider).toBe('openai');
    expect(span.model).toBe(model);
    expect(span.responseModel).toBe(usage.model);
    expect(span.usage.inputTokens).toBe(usage.prompt_tokens);
    expect(span.usage.cachedInputTokens).toBe(usage.cached_tokens);
    expect(span.usage.outputTokens).toBe(usage.completion_tokens);
    expect(span.cost.priceModel).toBe(`openai/${model}`);
  }
  return body.spans;
}
