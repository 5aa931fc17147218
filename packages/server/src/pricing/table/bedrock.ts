import type { PriceEntry } from '../../enrich/price-table.ts';
import { entry, period } from './entry.ts';

/**
 * Amazon Bedrock on-demand list prices in US East (N. Virginia), USD per million
 * tokens, for models other than Claude (Claude on Bedrock is billed at Anthropic's
 * list prices, see PRICE_TABLE). Names are Bedrock model ids without the region
 * prefix and the version suffix.
 */
export const BEDROCK_PRICES: readonly PriceEntry[] = [
  entry('aws.bedrock', 'meta.llama3-1-8b-instruct', period('2024-07-23', 0.22, 0.22)),
  entry('aws.bedrock', 'meta.llama3-1-70b-instruct', period('2024-07-23', 0.72, 0.72)),
  entry('aws.bedrock', 'meta.llama3-1-405b-instruct', period('2024-07-23', 2.4, 2.4)),
  entry('aws.bedrock', 'meta.llama3-2-1b-instruct', period('2024-09-25', 0.1, 0.1)),
  entry('aws.bedrock', 'meta.llama3-2-3b-instruct', period('2024-09-25', 0.15, 0.15)),
  entry('aws.bedrock', 'meta.llama3-2-11b-instruct', period('2024-09-25', 0.16, 0.16)),
  entry('aws.bedrock', 'meta.llama3-2-90b-instruct', period('2024-09-25', 0.72, 0.72)),
  entry('aws.bedrock', 'meta.llama3-3-70b-instruct', period('2024-12-19', 0.72, 0.72)),
  entry('aws.bedrock', 'meta.llama4-scout-17b-instruct', period('2025-04-28', 0.17, 0.66)),
  entry('aws.bedrock', 'meta.llama4-maverick-17b-instruct', period('2025-04-28', 0.24, 0.97)),
  entry(
    'aws.bedrock',
    'amazon.nova-micro',
    period('2024-12-03', 0.035, 0.14, { cacheRead: 0.00875 }),
  ),
  entry('aws.bedrock', 'amazon.nova-lite', period('2024-12-03', 0.06, 0.24, { cacheRead: 0.015 })),
  entry('aws.bedrock', 'amazon.nova-pro', period('2024-12-03', 0.8, 3.2, { cacheRead: 0.2 })),
  entry(
    'aws.bedrock',
    'amazon.nova-premier',
    period('2025-04-30', 2.5, 12.5, { cacheRead: 0.625 }),
  ),
  entry('aws.bedrock', 'amazon.titan-embed-text-v2', period('2024-04-30', 0.02, 0)),
  entry('aws.bedrock', 'mistral.mistral-large', period('2024-07-24', 2, 6)),
  entry('aws.bedrock', 'mistral.mistral-small', period('2024-02-26', 1, 3)),
  entry('aws.bedrock', 'mistral.mixtral-8x7b-instruct', period('2024-03-01', 0.45, 0.7)),
  entry('aws.bedrock', 'mistral.mistral-7b-instruct', period('2024-03-01', 0.15, 0.2)),
  entry('aws.bedrock', 'cohere.command-r-plus', period('2024-04-30', 3, 15)),
  entry('aws.bedrock', 'cohere.command-r', period('2024-04-30', 0.5, 1.5)),
  entry('aws.bedrock', 'cohere.embed-english-v3', period('2023-11-13', 0.1, 0)),
  entry('aws.bedrock', 'deepseek.r1', period('2025-03-10', 1.35, 5.4)),
  entry('aws.bedrock', 'openai.gpt-oss-120b', period('2025-08-05', 0.15, 0.6)),
  entry('aws.bedrock', 'openai.gpt-oss-20b', period('2025-08-05', 0.07, 0.3)),
];
