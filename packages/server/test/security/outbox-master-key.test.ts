import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbEncryption } from '../../src/crypto/duckdb-encryption.ts';
import { loadEncryptionKey } from '../../src/crypto/encryption-key.ts';
import { SECRETS_KEY_FILE_NAME } from '../../src/crypto/secrets-key.ts';
import type { FoghornHandle } from '../../src/foghorn.ts';
import { START_MS, TEST_RULES_YAML } from '../alerts/helpers/alarm-fixture.ts';
import { SimulatedClock, prepareDataDir } from '../alerts/helpers/alarm-server.ts';
import { CaptureReceivers } from '../alerts/helpers/capture-receivers.ts';
import { exportCalls } from '../alerts/helpers/sim-traffic.ts';
import { singleReceiverYaml, slowCalls, startAlertingFoghorn } from './alert-outbox-server.ts';

const MASTER_KEY = 'outbox-master-key-test-0123456789abcdef';
const WEBHOOK_PATH = '/hooks/masterKeyWebhookSecret8642';

function alertingYaml(receiversUrl: string): string {
  return singleReceiverYaml(
    'hook',
    `    webhook_configs:
      - url: ${receiversUrl}${WEBHOOK_PATH}
`,
  );
}

/** The encryption settings `foghorn up` builds when FOGHORN_ENCRYPTION_KEY is set. */
function encryptionFromEnv(): DuckDbEncryption {
  const key = loadEncryptionKey(null, { FOGHORN_ENCRYPTION_KEY: MASTER_KEY });
  if (key === null) throw new Error('FOGHORN_ENCRYPTION_KEY was set but no key was read');
  // DuckDB writes encrypted files with OpenSSL only when httpfs is installed; tests do without it.
  return { key, allowUnsafeCrypto: true };
}

function start(dataDir: string, clock: SimulatedClock): Promise<FoghornHandle> {
  return startAlertingFoghorn(dataDir, clock, {
    logger: pino({ level: 'silent' }),
    encryption: encryptionFromEnv(),
  });
}

async function webhookRecord(handle: FoghornHandle): Promise<any> {
  const body = (await (await fetch(`${handle.url}/api/v1/alerts/outbox`)).json()) as any;
  return body.outbox.find((record: any) => record.integration === 'webhook');
}

describe('outbox under a master key', () => {
  const receivers = new CaptureReceivers();
  const clock = new SimulatedClock(START_MS);
  let dataDir: string;
  let firstStatus: string;

  beforeAll(async () => {
    await receivers.start();
    // The webhook fails once, so its sealed record is still pending when Foghorn stops.
    receivers.script(WEBHOOK_PATH, [{ status: 503, body: 'busy' }]);
    dataDir = prepareDataDir({
      ruleFiles: { 'test.yaml': TEST_RULES_YAML },
      alertingYaml: alertingYaml(receivers.url),
    });
    const handle = await start(dataDir, clock);
    try {
      await exportCalls(handle.otlpUrl, slowCalls(START_MS));
      await handle.alerting.tick();
      firstStatus = (await webhookRecord(handle)).status;
    } finally {
      await handle.close();
    }
  }, 120_000);
  afterAll(async () => {
    await receivers.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes no secrets.key file', () => {
    expect(firstStatus).toBe('pending');
    expect(existsSync(join(dataDir, 'foghorn.duckdb'))).toBe(true);
    expect(existsSync(join(dataDir, SECRETS_KEY_FILE_NAME))).toBe(false);
  });

  it('opens sealed rows after a restart', async () => {
    // Past the 5 s retry backoff, and soon enough that the alert still fires.
    clock.advance(10_000);
    const handle = await start(dataDir, clock);
    try {
      await handle.alerting.tick();
      const webhook = await webhookRecord(handle);
      expect(webhook.lastError).toBeNull();
      expect(webhook.status).toBe('delivered');
    } finally {
      await handle.close();
    }
    expect(receivers.at(WEBHOOK_PATH).map((request) => request.status)).toEqual([503, 200]);
    expect(existsSync(join(dataDir, SECRETS_KEY_FILE_NAME))).toBe(false);
  });
});
