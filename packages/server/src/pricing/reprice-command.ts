import { resolve } from 'node:path';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { ConfigError } from '../errors.ts';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { PriceBook } from './price-book.ts';
import { loadPriceSettings } from './prices-file.ts';
import { repriceWindow, type RepriceReport } from './reprice.ts';
import { parseRepriceWindow } from './reprice-window.ts';

export interface RepriceCommandOptions {
  from: string | null;
  to: string | null;
  dataDir: string;
  url: string | null;
  json: boolean;
}

/**
 * Runs `foghorn prices reprice`. With `url` the running server re-prices its own
 * DuckDB file through `POST /api/v1/prices/reprice`; without it the command opens
 * the file itself, which fails while a server has it open.
 */
export async function runRepriceCommand(
  options: RepriceCommandOptions,
  write: (text: string) => void,
): Promise<RepriceReport> {
  const report =
    options.url === null
      ? await repriceLocally(options)
      : await repriceThroughServer(options, options.url);
  write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatRepriceReport(report));
  return report;
}

async function repriceThroughServer(
  options: RepriceCommandOptions,
  url: string,
): Promise<RepriceReport> {
  const body: Record<string, string> = {};
  if (options.from !== null) body.from = options.from;
  if (options.to !== null) body.to = options.to;
  const endpoint = new URL('/api/v1/prices/reprice', url);
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const payload = (await response.json()) as RepriceReport & { error?: { message: string } };
  if (!response.ok) {
    throw new ConfigError(
      `${endpoint.href} returned HTTP ${response.status}: ${payload.error?.message ?? 'no message'}`,
    );
  }
  return payload;
}

async function repriceLocally(options: RepriceCommandOptions): Promise<RepriceReport> {
  const dataDir = resolve(options.dataDir);
  const window = windowOrConfigError(options);
  const book = new PriceBook();
  loadPriceSettings(dataDir, book);
  const store = await openStore(dataDir);
  try {
    // The file's own data without auth is the default project's; a server re-prices the caller's project.
    return await repriceWindow(store, book, { ...window, projectId: DEFAULT_PROJECT_ID });
  } finally {
    await store.close();
  }
}

function windowOrConfigError(
  options: RepriceCommandOptions,
): ReturnType<typeof parseRepriceWindow> {
  try {
    return parseRepriceWindow(options.from ?? undefined, options.to ?? undefined, Date.now());
  } catch (error) {
    throw new ConfigError((error as Error).message.replace(/^"(from|to)"/, '--$1'));
  }
}

async function openStore(dataDir: string): ReturnType<typeof openDuckDbStore> {
  try {
    return await openDuckDbStore(dataDir);
  } catch (error) {
    throw new ConfigError(
      `could not open the store in ${dataDir} (${(error as Error).message}); if a Foghorn server is running on it, pass --url http://HOST:PORT`,
    );
  }
}

const usd = (value: number): string => `$${value.toFixed(6)}`;

/** Formats the report as a summary line and a table of the models whose cost changed. */
export function formatRepriceReport(report: RepriceReport): string {
  const lines = [
    `Re-priced ${report.spansRepriced} of ${report.spansExamined} LLM calls from ${report.from} to ${report.to}.`,
    `Total cost: ${usd(report.totalCostBeforeUsd)} before, ${usd(report.totalCostAfterUsd)} after.`,
    `Unpriced calls: ${report.unpricedBefore} before, ${report.unpricedAfter} after.`,
  ];
  if (report.models.length > 0) {
    lines.push('', 'model\tcalls\tre-priced\tbefore\tafter\tpriced as');
    for (const model of report.models) {
      lines.push(
        [
          model.model ?? '(none)',
          model.spans,
          model.repricedSpans,
          usd(model.costBeforeUsd),
          usd(model.costAfterUsd),
          model.priceModelsAfter.join(', ') || '(unpriced)',
        ].join('\t'),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
