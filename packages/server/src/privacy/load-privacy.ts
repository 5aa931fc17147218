import { createPseudonymizer, createRedactor, type Redactor } from '@foghorn/redact';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.ts';
import { loadPolicyFile } from './policy-file.ts';
import { resolvePseudonymSecret } from './pseudonym-secret.ts';
import type { IngestPrivacy } from './span-privacy.ts';
import { createIngestPrivacy } from './telemetry-privacy.ts';

/**
 * Builds the privacy step of every signal from `<dataDir>/privacy.yaml` (or `.yml`, `.json`) and
 * the pseudonym secret, and logs the effective settings without the secret.
 */
export async function loadPrivacy(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<IngestPrivacy> {
  const { path, policy } = await loadPolicyFile(dataDir);
  const needsSecret = policy.pseudonymizeUserIds !== false;
  const secret = needsSecret ? await resolvePseudonymSecret(dataDir, env, logger) : null;
  const newRedactor = (): Redactor => createRedactor({ policy, pseudonymSecret: secret?.secret });
  let redactor;
  try {
    redactor = newRedactor();
  } catch (error) {
    throw new ConfigError(`${path ?? 'the privacy policy'}: ${(error as Error).message}`);
  }
  const effective = redactor.policy;
  logger.info(
    {
      policyFile: path,
      contentMode: effective.content.default.mode,
      contentRules: effective.content.rules.length,
      customPatterns: effective.customPatterns.length,
      disabledDetectors: effective.disabledDetectors,
      pseudonymSecret: secret?.source ?? 'off',
    },
    path === null ? 'privacy: default policy' : `privacy: policy loaded from ${path}`,
  );
  const pseudonymizer = secret === null ? null : createPseudonymizer(secret.secret);
  return createIngestPrivacy(redactor, pseudonymizer, newRedactor);
}
