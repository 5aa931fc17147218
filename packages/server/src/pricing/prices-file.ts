import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import type { PriceBook } from './price-book.ts';
import { priceOverrideSchema, type PriceOverride } from './overrides.ts';

/** The price settings file inside the data directory. */
export const PRICES_FILE_NAME = 'prices.yaml';

export const azureDeploymentsSchema = z.record(
  z.string().trim().min(1, 'a deployment name is not empty'),
  z.string().trim().min(1, 'map each deployment to a model name, such as gpt-4o-2024-08-06'),
);

const pricesFileSchema = z.strictObject({
  overrides: z.array(priceOverrideSchema).default([]),
  azure_deployments: azureDeploymentsSchema.default({}),
});

export interface PriceSettings {
  overrides: PriceOverride[];
  azureDeployments: Record<string, string>;
}

const FILE_HEADER = `# Foghorn price settings. Overrides are USD per million tokens and take precedence
# over the shipped table; azure_deployments maps Azure OpenAI deployment names to models.
`;

/** Reads `<dataDir>/prices.yaml`; a missing file means no overrides. Throws naming the file and the field. */
export function readPriceSettings(dataDir: string): PriceSettings {
  const path = join(dataDir, PRICES_FILE_NAME);
  if (!existsSync(path)) return { overrides: [], azureDeployments: {} };
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = pricesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}; write overrides: [{model: gpt-4o, input: 2.5, output: 10}]`,
    );
  }
  return { overrides: parsed.data.overrides, azureDeployments: parsed.data.azure_deployments };
}

/** Writes the settings of `book` to `<dataDir>/prices.yaml` through a temporary file and a rename. */
export function writePriceSettings(dataDir: string, book: PriceBook): void {
  const path = join(dataDir, PRICES_FILE_NAME);
  const body = stringify({
    overrides: book.overrides(),
    azure_deployments: book.azureDeployments(),
  });
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${FILE_HEADER}${body}`);
  renameSync(temporary, path);
}

/** Loads the settings file of `dataDir` into `book`. */
export function loadPriceSettings(dataDir: string, book: PriceBook): PriceSettings {
  const settings = readPriceSettings(dataDir);
  book.setOverrides(settings.overrides);
  book.setAzureDeployments(settings.azureDeployments);
  return settings;
}
