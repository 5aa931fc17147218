import type { Logger } from 'pino';
import { installAttributionSettings } from '../enrich/attribution.ts';
import { installPriceBook } from '../enrich/pricing.ts';
import { PRICE_TABLE_VERSION } from '../enrich/price-table.ts';
import { readAttributionSettings } from './attribution-settings.ts';
import { PriceBook } from './price-book.ts';
import { loadPriceSettings } from './prices-file.ts';

export interface OpenPricing {
  book: PriceBook;
  /** Restores the price book and attribution keys that were active before. */
  close(): void;
}

/**
 * Loads `<dataDir>/prices.yaml` and `<dataDir>/attribution.yaml` and makes them
 * the ones ingest uses. Throws a ConfigError naming the file and field when one is invalid.
 */
export function openPricing(dataDir: string, logger: Logger): OpenPricing {
  const book = new PriceBook();
  const settings = loadPriceSettings(dataDir, book);
  const attribution = readAttributionSettings(dataDir);
  const restoreBook = installPriceBook(book);
  const restoreAttribution = installAttributionSettings(attribution);
  logger.info(
    {
      priceTableVersion: PRICE_TABLE_VERSION,
      priceOverrides: settings.overrides.length,
      azureDeployments: Object.keys(settings.azureDeployments).length,
    },
    'prices loaded',
  );
  return {
    book,
    close: () => {
      restoreBook();
      restoreAttribution();
    },
  };
}
