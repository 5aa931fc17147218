import { describe, expect, it } from 'vitest';
import { periodAt, resolvePriceEntry } from '../../src/enrich/pricing.ts';
import { PRICE_TABLE } from '../../src/enrich/price-table.ts';
import { PriceBook } from '../../src/pricing/price-book.ts';
import type { Attributes } from '../../src/ingest/otlp/otlp-model.ts';

type Tokens = [
  input: number,
  output: number,
  cacheRead?: number,
  cacheWrite?: number,
  reasoning?: number,
];

interface Case {
  label: string;
  model: string;
  responseModel?: string;
  provider: string | null;
  day: string;
  tokens: Tokens;
  attributes?: Attributes;
  priceModel: string | null;
  totalUsd: number | null;
}

const atDay = (day: string): bigint => BigInt(Date.parse(`${day}T12:00:00Z`)) * 1_000_000n;

function spanFields(c: Case) {
  const [input, output, cacheRead = 0, cacheWrite = 0, reasoning = 0] = c.tokens;
  return {
    isLlmCall: true,
    provider: c.provider,
    model: c.model,
    responseModel: c.responseModel ?? null,
    startTimeUnixNano: atDay(c.day),
    usage: {
      inputTokens: input,
      outputTokens: output,
      cachedInputTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      reasoningTokens: reasoning,
    },
    attributes: c.attributes ?? {},
  };
}

// Every expected total is worked out by hand in USD: tokens times the price per million, divided by a million.
const CASES: Case[] = [
  // 800 uncached x 2.50 + 200 cache reads x 1.25 + 300 out x 10 = 2000 + 250 + 3000 = 5250 / 1e6
  {
    label: 'openai plain name with cache',
    model: 'gpt-4o',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [1000, 300, 200],
    priceModel: 'openai/gpt-4o',
    totalUsd: 0.00525,
  },
  // dated snapshot: same as above
  {
    label: 'openai dated snapshot',
    model: 'gpt-4o-2024-08-06',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [1000, 300, 200],
    priceModel: 'openai/gpt-4o',
    totalUsd: 0.00525,
  },
  // before the 2024-10-01 price cut: 1000 x 5 + 300 x 15 = 5000 + 4500 = 9500
  {
    label: 'openai price before change',
    model: 'gpt-4o',
    provider: 'openai',
    day: '2024-09-30',
    tokens: [1000, 300],
    priceModel: 'openai/gpt-4o',
    totalUsd: 0.0095,
  },
  // the 2024-05-13 snapshot kept its launch price: 1000 x 5 + 300 x 15 = 9500
  {
    label: 'openai snapshot priced apart',
    model: 'gpt-4o-2024-05-13',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [1000, 300],
    priceModel: 'openai/gpt-4o-2024-05-13',
    totalUsd: 0.0095,
  },
  // 10000 x 0.15 + 2000 x 0.60 = 1500 + 1200 = 2700
  {
    label: 'vendor-prefixed name',
    model: 'openai/gpt-4o-mini',
    provider: null,
    day: '2026-03-01',
    tokens: [10_000, 2000],
    priceModel: 'openai/gpt-4o-mini',
    totalUsd: 0.0027,
  },
  // same, name in mixed case
  {
    label: 'mixed-case name',
    model: 'GPT-4o-Mini',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [10_000, 2000],
    priceModel: 'openai/gpt-4o-mini',
    totalUsd: 0.0027,
  },
  // 10000 x 2 + 40000 x 0.50 + 1000 x 8 = 20000 + 20000 + 8000 = 48000
  {
    label: 'gpt-4.1 mostly cached',
    model: 'gpt-4.1-2025-04-14',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [50_000, 1000, 40_000],
    priceModel: 'openai/gpt-4.1',
    totalUsd: 0.048,
  },
  // reasoning is part of output: 2000 x 1.25 + 5000 x 10 = 2500 + 50000 = 52500
  {
    label: 'gpt-5 reasoning in output',
    model: 'gpt-5',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [2000, 5000, 0, 0, 4000],
    priceModel: 'openai/gpt-5',
    totalUsd: 0.0525,
  },
  // o3 before its 2025-06-10 cut: 1000 x 10 + 1000 x 40 = 50000
  {
    label: 'o-series before mid-month cut',
    model: 'o3-2025-04-16',
    provider: 'openai',
    day: '2025-06-09',
    tokens: [1000, 1000],
    priceModel: 'openai/o3',
    totalUsd: 0.05,
  },
  // o3 from 2025-06-10: 1000 x 2 + 1000 x 8 = 10000
  {
    label: 'o-series after mid-month cut',
    model: 'o3',
    provider: 'openai',
    day: '2025-06-10',
    tokens: [1000, 1000],
    priceModel: 'openai/o3',
    totalUsd: 0.01,
  },
  // 2000 x 1.10 + 8000 x 0.275 + 500 x 4.40 = 2200 + 2200 + 2200 = 6600
  {
    label: 'o4-mini cached',
    model: 'o4-mini',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [10_000, 500, 8000],
    priceModel: 'openai/o4-mini',
    totalUsd: 0.0066,
  },
  // 1,000,000 x 0.02 = 20000
  {
    label: 'openai embeddings',
    model: 'text-embedding-3-small',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [1_000_000, 0],
    priceModel: 'openai/text-embedding-3-small',
    totalUsd: 0.02,
  },
  // fine-tuned rates: 1000 x 0.30 + 1000 x 1.20 = 1500
  {
    label: 'fine-tuned gpt-4o-mini',
    model: 'ft:gpt-4o-mini-2024-07-18:acme::abc123',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'openai/ft:gpt-4o-mini',
    totalUsd: 0.0015,
  },
  // 6000 x 3 + 4000 x 0.75 + 1000 x 12 = 18000 + 3000 + 12000 = 33000
  {
    label: 'fine-tuned gpt-4.1 cached',
    model: 'ft:gpt-4.1-2025-04-14:acme:support:xyz',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [10_000, 1000, 4000],
    priceModel: 'openai/ft:gpt-4.1',
    totalUsd: 0.033,
  },
  // no fine-tuned price and no base price: unpriced
  {
    label: 'fine-tuned unknown base',
    model: 'ft:babbage-002:acme::xyz',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: null,
    totalUsd: null,
  },
  // 5000 x 3 + 2000 x 0.30 + 3000 x 3.75 + 1000 x 15 = 15000 + 600 + 11250 + 15000 = 41850
  {
    label: 'anthropic read and 5m write',
    model: 'claude-3-5-sonnet-20241022',
    provider: 'anthropic',
    day: '2026-03-01',
    tokens: [10_000, 1000, 2000, 3000],
    priceModel: 'anthropic/claude-3-5-sonnet',
    totalUsd: 0.04185,
  },
  // 6000 x 3 + 3000 x 3.75 + 1000 x 6 (1-hour) + 500 x 15 = 18000 + 11250 + 6000 + 7500 = 42750
  {
    label: 'anthropic 1h cache write',
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    day: '2026-03-01',
    tokens: [10_000, 500, 0, 4000],
    attributes: { 'gen_ai.usage.cache_creation.ephemeral_1h_input_tokens': 1000 },
    priceModel: 'anthropic/claude-sonnet-4-5',
    totalUsd: 0.04275,
  },
  // above 200k input, every token at the long tier: 200000 x 6 + 50000 x 0.60 + 2000 x 22.50 = 1,200,000 + 30,000 + 45,000
  {
    label: 'anthropic long context',
    model: 'claude-sonnet-4-5-20250929',
    provider: 'anthropic',
    day: '2026-03-01',
    tokens: [250_000, 2000, 50_000],
    priceModel: 'anthropic/claude-sonnet-4-5',
    totalUsd: 1.275,
  },
  // exactly 200k is not above: 200000 x 3 + 1000 x 15 = 615000
  {
    label: 'anthropic at tier threshold',
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    day: '2026-03-01',
    tokens: [200_000, 1000],
    priceModel: 'anthropic/claude-sonnet-4-5',
    totalUsd: 0.615,
  },
  // 1000 x 5 + 1000 x 25 = 30000
  {
    label: 'claude opus 4.5',
    model: 'claude-opus-4-5-20251101',
    provider: 'anthropic',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'anthropic/claude-opus-4-5',
    totalUsd: 0.03,
  },
  // 1000 x 15 + 1000 x 75 = 90000
  {
    label: 'claude opus 4.1',
    model: 'claude-opus-4-1',
    provider: 'anthropic',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'anthropic/claude-opus-4-1',
    totalUsd: 0.09,
  },
  // 1000 x 1 + 1000 x 0.10 + 500 x 5 = 1000 + 100 + 2500 = 3600
  {
    label: 'claude haiku 4.5 cached',
    model: 'claude-haiku-4-5-20251001',
    provider: 'anthropic',
    day: '2026-03-01',
    tokens: [2000, 500, 1000],
    priceModel: 'anthropic/claude-haiku-4-5',
    totalUsd: 0.0036,
  },
  // 3000 x 0.25 + 1000 x 0.30 = 750 + 300 = 1050
  {
    label: 'claude 3 haiku cache write only',
    model: 'claude-3-haiku-20240307',
    provider: 'anthropic',
    day: '2026-03-01',
    tokens: [4000, 0, 0, 1000],
    priceModel: 'anthropic/claude-3-haiku',
    totalUsd: 0.00105,
  },
  // before the 2026-10-07 cache-read cut: 5000 x 2 + 5000 x 0.20 + 1000 x 10 = 10000 + 1000 + 10000 = 21000
  {
    label: 'sonnet 5.5 before mid-month change',
    model: 'claude-sonnet-5-5',
    provider: 'anthropic',
    day: '2026-10-06',
    tokens: [10_000, 1000, 5000],
    priceModel: 'anthropic/claude-sonnet-5-5',
    totalUsd: 0.021,
  },
  // from 2026-10-07: 5000 x 2 + 5000 x 0.10 + 1000 x 10 = 10000 + 500 + 10000 = 20500
  {
    label: 'sonnet 5.5 after mid-month change',
    model: 'claude-sonnet-5-5',
    provider: 'anthropic',
    day: '2026-10-07',
    tokens: [10_000, 1000, 5000],
    priceModel: 'anthropic/claude-sonnet-5-5',
    totalUsd: 0.0205,
  },
  // above 100k input: 150000 x 0.50 + 1000 x 2.50 = 75000 + 2500 = 77500
  {
    label: 'haiku 5.5 long tier',
    model: 'claude-haiku-5-5',
    provider: 'anthropic',
    day: '2026-11-01',
    tokens: [150_000, 1000],
    priceModel: 'anthropic/claude-haiku-5-5',
    totalUsd: 0.0775,
  },
  // Claude on Bedrock with a region prefix: 1000 x 0.80 + 1000 x 4 = 4800
  {
    label: 'bedrock region-prefixed claude',
    model: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
    provider: 'aws.bedrock',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'aws.bedrock/claude-3-5-haiku',
    totalUsd: 0.0048,
  },
  // global profile, provider taken from the id: 1000 x 3 + 1000 x 15 = 18000
  {
    label: 'bedrock global profile no provider',
    model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    provider: null,
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'aws.bedrock/claude-sonnet-4-5',
    totalUsd: 0.018,
  },
  // inference-profile ARN: 2000 x 3 = 6000
  {
    label: 'bedrock ARN',
    model:
      'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0',
    provider: null,
    day: '2026-03-01',
    tokens: [2000, 0],
    priceModel: 'aws.bedrock/claude-3-7-sonnet',
    totalUsd: 0.006,
  },
  // 10000 x 0.72 + 1000 x 0.72 = 7200 + 720 = 7920
  {
    label: 'bedrock llama',
    model: 'meta.llama3-1-70b-instruct-v1:0',
    provider: 'aws.bedrock',
    day: '2026-03-01',
    tokens: [10_000, 1000],
    priceModel: 'aws.bedrock/meta.llama3-1-70b-instruct',
    totalUsd: 0.00792,
  },
  // 5000 x 0.80 + 5000 x 0.20 + 1000 x 3.20 = 4000 + 1000 + 3200 = 8200
  {
    label: 'bedrock nova cached',
    model: 'apac.amazon.nova-pro-v1:0',
    provider: 'aws.bedrock',
    day: '2026-03-01',
    tokens: [10_000, 1000, 5000],
    priceModel: 'aws.bedrock/amazon.nova-pro',
    totalUsd: 0.0082,
  },
  // Bedrock's Mistral Large, not Mistral's own API: 1000 x 2 + 1000 x 6 = 8000
  {
    label: 'bedrock mistral',
    model: 'mistral.mistral-large-2407-v1:0',
    provider: 'aws.bedrock',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'aws.bedrock/mistral.mistral-large',
    totalUsd: 0.008,
  },
  // 100000 x 0.10 + 1000 x 0.40 = 10000 + 400 = 10400
  {
    label: 'gemini version suffix',
    model: 'gemini-2.0-flash-001',
    provider: 'gcp.gemini',
    day: '2026-03-01',
    tokens: [100_000, 1000],
    priceModel: 'gcp.gemini/gemini-2.0-flash',
    totalUsd: 0.0104,
  },
  // above 200k: 300000 x 2.50 + 1000 x 15 = 750000 + 15000 = 765000
  {
    label: 'gemini 2.5 pro long context',
    model: 'models/gemini-2.5-pro',
    provider: 'gcp.gemini',
    day: '2026-03-01',
    tokens: [300_000, 1000],
    priceModel: 'gcp.gemini/gemini-2.5-pro',
    totalUsd: 0.765,
  },
  // 50000 x 1.25 + 50000 x 0.31 + 1000 x 10 = 62500 + 15500 + 10000 = 88000
  {
    label: 'gemini 2.5 pro cached',
    model: 'gemini-2.5-pro',
    provider: 'gcp.gemini',
    day: '2026-03-01',
    tokens: [100_000, 1000, 50_000],
    priceModel: 'gcp.gemini/gemini-2.5-pro',
    totalUsd: 0.088,
  },
  // above 128k: 200000 x 2.50 + 1000 x 10 = 500000 + 10000 = 510000
  {
    label: 'gemini 1.5 pro above 128k',
    model: 'gemini-1.5-pro-002',
    provider: 'gcp.gemini',
    day: '2026-03-01',
    tokens: [200_000, 1000],
    priceModel: 'gcp.gemini/gemini-1.5-pro',
    totalUsd: 0.51,
  },
  // 10000 x 0.30 + 2000 x 2.50 = 3000 + 5000 = 8000
  {
    label: 'vertex gemini',
    model: 'gemini-2.5-flash',
    provider: 'gcp.vertex_ai',
    day: '2026-03-01',
    tokens: [10_000, 2000],
    priceModel: 'gcp.vertex_ai/gemini-2.5-flash',
    totalUsd: 0.008,
  },
  // Vertex id with @date: 1000 x 3 + 1000 x 15 = 18000
  {
    label: 'vertex claude',
    model: 'claude-3-5-sonnet-v2@20241022',
    provider: 'gcp.vertex_ai',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'gcp.vertex_ai/claude-3-5-sonnet',
    totalUsd: 0.018,
  },
  // reasoning priced apart: 1000 x 0.15 + 1000 x 0.60 + 2000 x 3.50 = 150 + 600 + 7000 = 7750
  {
    label: 'reasoning priced apart',
    model: 'gemini-2.5-flash-preview-04-17',
    provider: 'gcp.gemini',
    day: '2025-05-01',
    tokens: [1000, 3000, 0, 0, 2000],
    priceModel: 'gcp.gemini/gemini-2.5-flash-preview-04-17',
    totalUsd: 0.00775,
  },
  // 1000 x 2 + 1000 x 6 = 8000
  {
    label: 'mistral latest alias',
    model: 'mistral-large-latest',
    provider: 'mistral_ai',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'mistral_ai/mistral-large',
    totalUsd: 0.008,
  },
  // YYMM version: 10000 x 0.10 + 1000 x 0.30 = 1000 + 300 = 1300
  {
    label: 'mistral YYMM version',
    model: 'mistral-small-2503',
    provider: 'mistral_ai',
    day: '2026-03-01',
    tokens: [10_000, 1000],
    priceModel: 'mistral_ai/mistral-small',
    totalUsd: 0.0013,
  },
  // MM-YYYY version: 1000 x 2.50 + 1000 x 10 = 12500
  {
    label: 'cohere dated version',
    model: 'command-r-plus-08-2024',
    provider: 'cohere',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'cohere/command-r-plus',
    totalUsd: 0.0125,
  },
  // 1,000,000 x 0.10 = 100000
  {
    label: 'cohere embeddings',
    model: 'embed-english-v3.0',
    provider: 'cohere',
    day: '2026-03-01',
    tokens: [1_000_000, 0],
    priceModel: 'cohere/embed-english-v3.0',
    totalUsd: 0.1,
  },
  // 100000 x 0.59 + 10000 x 0.79 = 59000 + 7900 = 66900
  {
    label: 'groq llama',
    model: 'llama-3.3-70b-versatile',
    provider: 'groq',
    day: '2026-03-01',
    tokens: [100_000, 10_000],
    priceModel: 'groq/llama-3.3-70b-versatile',
    totalUsd: 0.0669,
  },
  // the host's price, not another host's: 1000 x 0.15 + 1000 x 0.75 = 900
  {
    label: 'groq open model with org path',
    model: 'openai/gpt-oss-120b',
    provider: 'groq',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'groq/gpt-oss-120b',
    totalUsd: 0.0009,
  },
  // 1000 x 0.88 + 1000 x 0.88 = 1760
  {
    label: 'together org path',
    model: 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo',
    provider: 'together_ai',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'together_ai/meta-llama-3.1-70b-instruct-turbo',
    totalUsd: 0.00176,
  },
  // 1000 x 0.90 + 1000 x 0.90 = 1800
  {
    label: 'fireworks account path',
    model: 'accounts/fireworks/models/llama-v3p1-70b-instruct',
    provider: 'fireworks',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'fireworks/llama-v3p1-70b-instruct',
    totalUsd: 0.0018,
  },
  // before the 2025-09-29 cut: 6000 x 0.27 + 4000 x 0.07 + 1000 x 1.10 = 1620 + 280 + 1100 = 3000
  {
    label: 'deepseek before change',
    model: 'deepseek-chat',
    provider: 'deepseek',
    day: '2025-09-28',
    tokens: [10_000, 1000, 4000],
    priceModel: 'deepseek/deepseek-chat',
    totalUsd: 0.003,
  },
  // from 2025-09-29: 6000 x 0.28 + 4000 x 0.028 + 1000 x 0.42 = 1680 + 112 + 420 = 2212
  {
    label: 'deepseek after change',
    model: 'deepseek-chat',
    provider: 'deepseek',
    day: '2025-09-29',
    tokens: [10_000, 1000, 4000],
    priceModel: 'deepseek/deepseek-chat',
    totalUsd: 0.002212,
  },
  // Azure OpenAI global deployments bill OpenAI list prices: 1000 x 2.50 + 300 x 10 = 5500
  {
    label: 'azure model name',
    model: 'gpt-4o-2024-08-06',
    provider: 'azure.ai.openai',
    day: '2026-03-01',
    tokens: [1000, 300],
    priceModel: 'azure.ai.openai/gpt-4o',
    totalUsd: 0.0055,
  },
  // a gateway reports provider openai for a Claude model: the model's home price, 1000 x 3 + 1000 x 15 = 18000
  {
    label: 'gateway provider mismatch',
    model: 'claude-3-5-sonnet-20241022',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: 'anthropic/claude-3-5-sonnet',
    totalUsd: 0.018,
  },
  // unknown request model, known response model: 10000 x 0.15 + 2000 x 0.60 = 2700
  {
    label: 'response model fallback',
    model: 'prod-chat',
    responseModel: 'gpt-4o-mini-2024-07-18',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [10_000, 2000],
    priceModel: 'openai/gpt-4o-mini',
    totalUsd: 0.0027,
  },
  {
    label: 'unknown model',
    model: 'house-model-7b',
    provider: null,
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: null,
    totalUsd: null,
  },
  {
    label: 'unknown model of known provider',
    model: 'gpt-7-ultra',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [1000, 1000],
    priceModel: null,
    totalUsd: null,
  },
];

describe('price table cases', () => {
  const book = new PriceBook();

  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const cost = book.costOf(spanFields(c));
    expect(cost.priceModel).toBe(c.priceModel);
    if (c.totalUsd === null) {
      expect(cost.totalUsd).toBeNull();
      expect(cost.inputUsd).toBeNull();
      return;
    }
    expect(cost.totalUsd).toBeCloseTo(c.totalUsd, 12);
    const partsUsd = cost.inputUsd! + cost.outputUsd! + cost.cacheReadUsd! + cost.cacheWriteUsd!;
    expect(partsUsd).toBeCloseTo(c.totalUsd, 12);
  });
});

describe('cost parts and applied prices', () => {
  const book = new PriceBook();

  it('stores the parts and the prices applied', () => {
    const cost = book.costOf(
      spanFields(CASES.find((c) => c.label === 'anthropic 1h cache write')!),
    );
    // 6000 x 3 = 18000; 3000 x 3.75 + 1000 x 6 = 17250; 500 x 15 = 7500
    expect(cost.inputUsd).toBeCloseTo(0.018, 12);
    expect(cost.cacheReadUsd).toBe(0);
    expect(cost.cacheWriteUsd).toBeCloseTo(0.01725, 12);
    expect(cost.outputUsd).toBeCloseTo(0.0075, 12);
    expect(cost.pricesUsdPerMTok).toEqual({
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
      cacheWrite1h: 6,
      reasoning: null,
      longContextAboveInputTokens: null,
    });
    expect(cost.priceDetail).toEqual({
      source: 'table',
      effectiveFrom: '2025-09-29',
      cacheWrite1hTokens: 1000,
      azureDeployment: null,
    });
  });

  it('records the long-context tier', () => {
    const cost = book.costOf(spanFields(CASES.find((c) => c.label === 'anthropic long context')!));
    expect(cost.pricesUsdPerMTok?.input).toBe(6);
    expect(cost.pricesUsdPerMTok?.output).toBe(22.5);
    expect(cost.pricesUsdPerMTok?.longContextAboveInputTokens).toBe(200_000);
  });

  it('prices reasoning apart only where listed', () => {
    const cost = book.costOf(spanFields(CASES.find((c) => c.label === 'reasoning priced apart')!));
    // 1000 x 0.60 + 2000 x 3.50 = 600 + 7000
    expect(cost.outputUsd).toBeCloseTo(0.0076, 12);
    expect(cost.pricesUsdPerMTok?.reasoning).toBe(3.5);
  });

  it('prices cache reads as input without a cache price', () => {
    // gpt-4-turbo has no cached-input price: 1000 x 10 for all input
    const cost = book.costOf(
      spanFields({
        label: '',
        model: 'gpt-4-turbo',
        provider: 'openai',
        day: '2026-03-01',
        tokens: [1000, 0, 400],
        priceModel: null,
        totalUsd: null,
      }),
    );
    expect(cost.totalUsd).toBeCloseTo(0.01, 12);
    expect(cost.pricesUsdPerMTok?.cacheRead).toBe(10);
  });

  it('caps 1-hour writes at the total writes', () => {
    const c: Case = {
      label: '',
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      day: '2026-03-01',
      tokens: [1000, 0, 0, 500],
      attributes: { 'gen_ai.usage.cache_creation.ephemeral_1h_input_tokens': '9000' },
      priceModel: null,
      totalUsd: null,
    };
    const cost = book.costOf(spanFields(c));
    // 500 x 3 + 500 x 6 = 1500 + 3000
    expect(cost.totalUsd).toBeCloseTo(0.0045, 12);
    expect(cost.priceDetail?.cacheWrite1hTokens).toBe(500);
  });
});

describe('resolution cache', () => {
  const call: Case = {
    label: '',
    model: 'gpt-4o',
    provider: 'openai',
    day: '2026-03-01',
    tokens: [1000, 0],
    priceModel: null,
    totalUsd: null,
  };

  it('override applies to the next call', () => {
    const book = new PriceBook();
    // 1000 x 2.50
    expect(book.costOf(spanFields(call)).totalUsd).toBeCloseTo(0.0025, 12);
    book.setOverrides([{ model: 'gpt-4o', provider: 'openai', input: 7, output: 9 }]);
    const overridden = book.costOf(spanFields(call));
    expect(overridden.priceModel).toBe('override/openai/gpt-4o');
    expect(overridden.totalUsd).toBeCloseTo(0.007, 12);
    book.setOverrides([]);
    expect(book.costOf(spanFields(call)).totalUsd).toBeCloseTo(0.0025, 12);
  });

  it('deployment mapping applies to the next call', () => {
    const book = new PriceBook();
    const deployed = { ...call, model: 'prod-chat', provider: 'azure.ai.openai' };
    expect(book.costOf(spanFields(deployed)).totalUsd).toBeNull();
    book.setAzureDeployments({ 'prod-chat': 'gpt-4o' });
    expect(book.costOf(spanFields(deployed)).priceDetail?.azureDeployment).toBe('prod-chat');
    expect(book.costOf(spanFields(deployed)).totalUsd).toBeCloseTo(0.0025, 12);
  });

  it('caches each day apart', () => {
    const book = new PriceBook([
      {
        id: 'test/m',
        provider: 'openai',
        model: 'm',
        periods: [
          { effectiveFrom: '2026-01-01', inputUsdPerMTok: 1, outputUsdPerMTok: 1 },
          { effectiveFrom: '2026-03-02', inputUsdPerMTok: 5, outputUsdPerMTok: 5 },
        ],
      },
    ]);
    const onDay = (day: string): number | null =>
      book.costOf(spanFields({ ...call, model: 'm', day })).totalUsd;
    expect(onDay('2026-03-01')).toBeCloseTo(0.001, 12);
    expect(onDay('2026-03-02')).toBeCloseTo(0.005, 12);
    expect(onDay('2026-03-01')).toBeCloseTo(0.001, 12);
  });
});

describe('shipped table', () => {
  it('has unique ids and ordered periods', () => {
    const ids = PRICE_TABLE.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of PRICE_TABLE) {
      const days = entry.periods.map((period) => period.effectiveFrom);
      expect([...days].sort()).toEqual(days);
    }
  });

  it('resolves home entries by name alone', () => {
    expect(resolvePriceEntry('us.anthropic.claude-3-5-haiku-20241022-v1:0')?.id).toBe(
      'anthropic/claude-3-5-haiku',
    );
    expect(resolvePriceEntry('house-model-7b')).toBeNull();
    const entry = resolvePriceEntry('gpt-4o')!;
    expect(periodAt(entry, atDay('2024-09-30'))!.inputUsdPerMTok).toBe(5);
    expect(periodAt(entry, atDay('2024-10-01'))!.inputUsdPerMTok).toBe(2.5);
  });
});
