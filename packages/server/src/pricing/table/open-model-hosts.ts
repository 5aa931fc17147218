import type { PriceEntry } from '../../enrich/price-table.ts';
import { entry, period } from './entry.ts';

/**
 * List prices of DeepSeek's own API and of open models on Groq, Together AI and
 * Fireworks AI, USD per million tokens. Names are the host's model ids, lowercased,
 * without the organization path (`meta-llama/`, `accounts/fireworks/models/`).
 */
export const OPEN_MODEL_HOST_PRICES: readonly PriceEntry[] = [
  entry(
    'deepseek',
    'deepseek-chat',
    period('2025-02-09', 0.27, 1.1, { cacheRead: 0.07 }),
    period('2025-09-29', 0.28, 0.42, { cacheRead: 0.028 }),
  ),
  entry(
    'deepseek',
    'deepseek-reasoner',
    period('2025-01-20', 0.55, 2.19, { cacheRead: 0.14 }),
    period('2025-09-29', 0.28, 0.42, { cacheRead: 0.028 }),
  ),
  entry('groq', 'llama-3.1-8b-instant', period('2024-07-23', 0.05, 0.08)),
  entry('groq', 'llama-3.3-70b-versatile', period('2024-12-06', 0.59, 0.79)),
  entry('groq', 'llama-4-scout-17b-16e-instruct', period('2025-04-05', 0.11, 0.34)),
  entry('groq', 'llama-4-maverick-17b-128e-instruct', period('2025-04-05', 0.2, 0.6)),
  entry('groq', 'gpt-oss-120b', period('2025-08-05', 0.15, 0.75)),
  entry('groq', 'gpt-oss-20b', period('2025-08-05', 0.1, 0.5)),
  entry('groq', 'qwen3-32b', period('2025-05-01', 0.29, 0.59)),
  entry('groq', 'kimi-k2-instruct', period('2025-07-14', 1, 3)),
  entry('together_ai', 'meta-llama-3.1-8b-instruct-turbo', period('2024-07-23', 0.18, 0.18)),
  entry('together_ai', 'meta-llama-3.1-70b-instruct-turbo', period('2024-07-23', 0.88, 0.88)),
  entry('together_ai', 'meta-llama-3.1-405b-instruct-turbo', period('2024-07-23', 3.5, 3.5)),
  entry('together_ai', 'llama-3.3-70b-instruct-turbo', period('2024-12-06', 0.88, 0.88)),
  entry('together_ai', 'llama-4-maverick-17b-128e-instruct-fp8', period('2025-04-05', 0.27, 0.85)),
  entry('together_ai', 'deepseek-v3', period('2024-12-26', 1.25, 1.25)),
  entry('together_ai', 'deepseek-r1', period('2025-01-20', 3, 7)),
  entry('together_ai', 'qwen2.5-72b-instruct-turbo', period('2024-09-19', 1.2, 1.2)),
  entry('together_ai', 'mixtral-8x7b-instruct-v0.1', period('2023-12-11', 0.6, 0.6)),
  entry('together_ai', 'gpt-oss-120b', period('2025-08-05', 0.15, 0.6)),
  entry('fireworks', 'llama-v3p1-8b-instruct', period('2024-07-23', 0.2, 0.2)),
  entry('fireworks', 'llama-v3p1-70b-instruct', period('2024-07-23', 0.9, 0.9)),
  entry('fireworks', 'llama-v3p1-405b-instruct', period('2024-07-23', 3, 3)),
  entry('fireworks', 'llama-v3p3-70b-instruct', period('2024-12-06', 0.9, 0.9)),
  entry('fireworks', 'deepseek-v3', period('2024-12-26', 0.9, 0.9)),
  entry('fireworks', 'deepseek-r1', period('2025-01-20', 3, 8)),
  entry('fireworks', 'qwen3-235b-a22b', period('2025-04-29', 0.22, 0.88)),
  entry('fireworks', 'gpt-oss-120b', period('2025-08-05', 0.15, 0.6)),
];
