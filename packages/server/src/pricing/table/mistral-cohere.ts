import type { PriceEntry } from '../../enrich/price-table.ts';
import { entry, period } from './entry.ts';

/** Mistral AI and Cohere list prices on their own APIs, USD per million tokens. */
export const MISTRAL_COHERE_PRICES: readonly PriceEntry[] = [
  entry('mistral_ai', 'mistral-large', period('2024-11-18', 2, 6)),
  entry('mistral_ai', 'mistral-medium', period('2025-05-07', 0.4, 2)),
  entry('mistral_ai', 'mistral-small', period('2025-03-17', 0.1, 0.3)),
  entry('mistral_ai', 'magistral-medium', period('2025-06-10', 2, 5)),
  entry('mistral_ai', 'magistral-small', period('2025-06-10', 0.5, 1.5)),
  entry('mistral_ai', 'codestral', period('2025-01-13', 0.3, 0.9)),
  entry('mistral_ai', 'ministral-8b', period('2024-10-16', 0.1, 0.1)),
  entry('mistral_ai', 'ministral-3b', period('2024-10-16', 0.04, 0.04)),
  entry('mistral_ai', 'open-mistral-nemo', period('2024-07-18', 0.15, 0.15)),
  entry('mistral_ai', 'pixtral-large', period('2024-11-18', 2, 6)),
  entry('mistral_ai', 'mistral-embed', period('2023-12-11', 0.1, 0)),
  entry('cohere', 'command-a', period('2025-03-13', 2.5, 10)),
  entry('cohere', 'command-r-plus', period('2024-08-30', 2.5, 10)),
  entry('cohere', 'command-r', period('2024-08-30', 0.15, 0.6)),
  entry('cohere', 'command-r7b', period('2024-12-13', 0.0375, 0.15)),
  entry('cohere', 'embed-english-v3.0', period('2023-11-02', 0.1, 0)),
  entry('cohere', 'embed-multilingual-v3.0', period('2023-11-02', 0.1, 0)),
  entry('cohere', 'embed-v4.0', period('2025-04-15', 0.12, 0)),
];
