import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RedactionPolicy } from '@foghorn/redact';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

/** File names tried in the data directory, in this order; the first that exists is used. */
export const POLICY_FILE_NAMES = ['privacy.yaml', 'privacy.yml', 'privacy.json'] as const;

const contentSetting = {
  mode: z.enum(['keep', 'drop', 'hash', 'truncate']),
  maxChars: z.number().int().min(1).optional(),
};

/** The policy file: every field is optional and falls back to the redactor's defaults. */
const policyFileSchema = z
  .object({
    disabledDetectors: z.array(z.string()).optional(),
    customPatterns: z
      .array(
        z.object({ name: z.string(), pattern: z.string(), flags: z.string().optional() }).strict(),
      )
      .optional(),
    allowKeys: z.array(z.string()).optional(),
    denyKeys: z.array(z.string()).optional(),
    denyAction: z.enum(['drop', 'replace']).optional(),
    content: z
      .object({
        default: z.object(contentSetting).strict().optional(),
        rules: z
          .array(
            z
              .object({
                ...contentSetting,
                service: z.string().optional(),
                environment: z.string().optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    userIdKeys: z.array(z.string()).optional(),
    pseudonymizeUserIds: z.boolean().optional(),
  })
  .strict();

export interface LoadedPolicy {
  /** The file read, or null when none exists and the defaults apply. */
  path: string | null;
  policy: Partial<RedactionPolicy>;
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseText(path: string, text: string): unknown {
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
}

function toPolicy(path: string, raw: unknown): Partial<RedactionPolicy> {
  const parsed = policyFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(top level)';
    throw new ConfigError(
      `${path}: field ${field} is invalid: ${issue.message}; see docs/privacy.md for the format`,
    );
  }
  const { content, ...rest } = parsed.data;
  const policy: Partial<RedactionPolicy> = { ...rest };
  if (content !== undefined) {
    policy.content = { default: content.default ?? { mode: 'keep' }, rules: content.rules ?? [] };
  }
  return policy;
}

/** Reads `<dataDir>/privacy.yaml`, `.yml` or `.json`; returns an empty policy when none exists. */
export async function loadPolicyFile(dataDir: string): Promise<LoadedPolicy> {
  for (const name of POLICY_FILE_NAMES) {
    const path = join(dataDir, name);
    const text = await readIfExists(path);
    if (text !== null) return { path, policy: toPolicy(path, parseText(path, text)) };
  }
  return { path: null, policy: {} };
}
