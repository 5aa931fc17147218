import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { AttributionSettings } from '../enrich/attribution.ts';
import { ConfigError } from '../errors.ts';

/** The attribution settings file inside the data directory. */
export const ATTRIBUTION_FILE_NAME = 'attribution.yaml';

const keyList = z.array(z.string().trim().min(1, 'an attribute key is not empty'));

const attributionFileSchema = z.strictObject({
  keys: z
    .strictObject({
      tenant: keyList.optional(),
      feature: keyList.optional(),
      user: keyList.optional(),
      session: keyList.optional(),
      environment: keyList.optional(),
    })
    .default({}),
  replace_defaults: z.boolean().default(false),
});

/**
 * Reads `<dataDir>/attribution.yaml`: attribute keys per field (tenant, feature,
 * user, session, environment), read before the built-in keys of every dialect, or
 * instead of them with `replace_defaults: true`. A missing file means the defaults.
 */
export function readAttributionSettings(dataDir: string): AttributionSettings {
  const path = join(dataDir, ATTRIBUTION_FILE_NAME);
  if (!existsSync(path)) return { keys: {}, replaceDefaults: false };
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = attributionFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}; write keys: {tenant: [customer.id]}`,
    );
  }
  const { keys } = parsed.data;
  return {
    keys: {
      tenant: keys.tenant,
      feature: keys.feature,
      userId: keys.user,
      sessionId: keys.session,
      environment: keys.environment,
    },
    replaceDefaults: parsed.data.replace_defaults,
  };
}
