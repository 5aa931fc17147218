import { describe, expect, it } from 'vitest';
import { computeCost, periodAt, resolvePriceEntry } from '../../src/enrich/pricing.ts';

const usage = (input: number, output: number, cachedInput = 0, cacheWrite = 0, reasoning = 0) => ({
  inputTokens: input,
  outputTokens: output,
  cachedInputTokens: cachedInput,
  cacheWriteTokens: cacheWrite,
  reasoningTokens: reasoning,
});

const atDay = (day: string): bigint => BigInt(Date.parse(`${day}T12:00:00Z`)) * 1_000_000n;

describe('model resolution', () => {
  it.each([
    ['gpt-4o', 'openai/gpt-4o'],
    ['gpt-4o-2024-08-06', 'openai/gpt-4o'],
    ['openai/gpt-4o-mini', 'openai/gpt-4o-mini'],
    ['GPT-4o-Mini', 'openai/gpt-4o-mini'],
    ['claude-3-5-sonnet-20241022', 'anthropic/claude-3-5-sonnet'],
    ['claude-3-5-sonnet-latest', 'anthropic/claude-3-5-sonnet'],
    ['us.anthropic.claude-3-5-haiku-20241022-v1:0', 'anthropic/claude-3-5-haiku'],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'anthropic/claude-3-haiku'],
    ['ft:gpt-4o-mini-2024-07-18:acme::abc123', 'openai/gpt-4o-mini'],
    ['gemini-2.0-flash-001', 'gcp.gemini/gemini-2.0-flash'],
    ['meta.llama3-1-70b-instruct-v1:0', 'aws.bedrock/meta.llama3-1-70b-instruct'],
    [
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0',
      'anthropic/claude-3-5-sonnet',
    ],
  ])('%s resolves to %s', (model, expected) => {
    expect(resolvePriceEntry(model)?.id).toBe(expected);
  });

  it('returns null for an unknown model', () => {
    expect(resolvePriceEntry('house-model-7b')).toBeNull();
  });
});

describe('cost computation', () => {
  it('prices cached input at the cache-read price', () => {
    const period = periodAt(resolvePriceEntry('gpt-4o')!, atDay('2026-03-01'))!;
    const cost = computeCost(usage(1000, 300, 200), period);
    expect(cost.inputUsd).toBeCloseTo(0.002, 12);
    expect(cost.cacheReadUsd).toBeCloseTo(0.00025, 12);
    expect(cost.outputUsd).toBeCloseTo(0.003, 12);
    expect(cost.totalUsd).toBeCloseTo(0.00525, 12);
  });

  it('prices cache writes at the cache-write price', () => {
    const period = periodAt(resolvePriceEntry('claude-sonnet-4-5')!, atDay('2026-03-01'))!;
    // 10,000 input of which 2,000 read and 3,000 written; 1,000 output.
    const cost = computeCost(usage(10_000, 1000, 2000, 3000), period);
    expect(cost.inputUsd).toBeCloseTo(5000 * 3e-6, 12);
    expect(cost.cacheReadUsd).toBeCloseTo(2000 * 0.3e-6, 12);
    expect(cost.cacheWriteUsd).toBeCloseTo(3000 * 3.75e-6, 12);
    expect(cost.totalUsd).toBeCloseTo(0.015 + 0.0006 + 0.01125 + 0.015, 12);
  });

  it('uses the price in force at the start time', () => {
    const entry = resolvePriceEntry('gpt-4o')!;
    expect(periodAt(entry, atDay('2024-09-30'))!.inputUsdPerMTok).toBe(5);
    expect(periodAt(entry, atDay('2024-10-01'))!.inputUsdPerMTok).toBe(2.5);
  });

  it('includes reasoning tokens in output', () => {
    const period = periodAt(resolvePriceEntry('o3-mini')!, atDay('2026-03-01'))!;
    const cost = computeCost(usage(100, 2000, 0, 0, 1500), period);
    expect(cost.outputUsd).toBeCloseTo(2000 * 4.4e-6, 12);
  });
});
