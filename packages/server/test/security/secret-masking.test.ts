import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskReceiver, parseAlertingConfig } from '../../src/alerts/alerting-config.ts';
import { EncryptionKey } from '../../src/crypto/encryption-key.ts';
import { maskSecret, maskSecretsInText, maskUrl } from '../../src/crypto/mask-secret.ts';
import { loadSecretsKey, openSecret, sealSecret } from '../../src/crypto/secrets-key.ts';
import type { FoghornHandle } from '../../src/foghorn.ts';
import { START_MS, TEST_RULES_YAML } from '../alerts/helpers/alarm-fixture.ts';
import { SimulatedClock, prepareDataDir } from '../alerts/helpers/alarm-server.ts';
import { CaptureReceivers } from '../alerts/helpers/capture-receivers.ts';
import { exportCalls } from '../alerts/helpers/sim-traffic.ts';
import {
  capturingLogger,
  singleReceiverYaml,
  slowCalls,
  startAlertingFoghorn,
} from './alert-outbox-server.ts';

const SLACK_TOKEN = 'T0SECRET/B0SECRET/slackWebhookSecret9876';
const ROUTING_KEY = 'pagerdutyRoutingKeySecret4321';
const KEY_TEXT = 'masking-test-key-0123456789abcdef';

describe('secret masks', () => {
  it('keeps scheme and host of a URL', () => {
    expect(maskUrl('https://hooks.slack.com/services/T0/B0/abcdefXXXX')).toBe(
      'https://hooks.slack.com/…/XXXX',
    );
  });

  it('drops credentials and query of a URL', () => {
    expect(maskUrl('https://user:pw@example.com:8443/hook?token=abcdef1234')).toBe(
      'https://example.com:8443/…/1234',
    );
  });

  it('shows the last 4 of a routing key', () => {
    expect(maskSecret('R0UT1NGKEY00000000001a2b')).toBe('…1a2b');
    expect(maskSecret('short')).toBe('…');
  });

  it('masks URLs and listed secrets in text', () => {
    const text = `HTTP 400: bad key ${ROUTING_KEY} for https://hooks.slack.com/services/${SLACK_TOKEN}`;
    expect(maskSecretsInText(text, [ROUTING_KEY])).toBe(
      'HTTP 400: bad key …4321 for https://hooks.slack.com/…/9876',
    );
  });

  it('masks every channel of a receiver', () => {
    const config = parseAlertingConfig(
      {
        receivers: [
          {
            name: 'all',
            slack_configs: [{ webhook_url: `https://hooks.slack.com/services/${SLACK_TOKEN}` }],
            pagerduty_configs: [{ routing_key: ROUTING_KEY }],
            webhook_configs: [{ url: 'https://hooks.example.com/in/abcdef123456' }],
          },
        ],
      },
      'test',
    );
    const masked = maskReceiver(config.receivers[0]!);
    expect(masked.slack_configs[0]!.webhook_url).toBe('https://hooks.slack.com/…/9876');
    expect(masked.pagerduty_configs[0]!.routing_key).toBe('…4321');
    expect(masked.pagerduty_configs[0]!.url).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(masked.webhook_configs[0]!.url).toBe('https://hooks.example.com/…/3456');
  });
});

describe('secrets key', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-secrets-key-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes a generated key with mode 0600', () => {
    const key = loadSecretsKey(dataDir, null);
    expect(key).toHaveLength(32);
    expect(statSync(join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
    expect(loadSecretsKey(dataDir, null).equals(key)).toBe(true);
  });

  it('seals a secret that reads back', () => {
    const key = loadSecretsKey(dataDir, null);
    const stored = sealSecret(key, ROUTING_KEY);
    expect(stored).toMatch(/^sealed:v1:/);
    expect(stored).not.toContain(ROUTING_KEY);
    expect(openSecret(key, stored)).toBe(ROUTING_KEY);
  });

  it('rejects a sealed secret under another key', () => {
    const other = loadSecretsKey(dataDir, new EncryptionKey(KEY_TEXT, 'test key'));
    const stored = sealSecret(loadSecretsKey(dataDir, null), ROUTING_KEY);
    expect(() => openSecret(other, stored)).toThrow(/failed authentication/);
  });
});

describe('failed deliveries', () => {
  const receivers = new CaptureReceivers();
  const clock = new SimulatedClock(START_MS);
  const logLines: string[] = [];
  let server: FoghornHandle;
  let dataDir: string;
  let outboxText = '';

  beforeAll(async () => {
    await receivers.start();
    const slackPath = `/services/${SLACK_TOKEN}`;
    // Both receivers echo the secret they were sent, as a misbehaving proxy might.
    receivers.script(slackPath, [
      { status: 400, body: `unknown webhook ${receivers.url}${slackPath}` },
    ]);
    receivers.script('/pagerduty', [{ status: 400, body: `invalid routing key ${ROUTING_KEY}` }]);
    dataDir = prepareDataDir({
      ruleFiles: { 'test.yaml': TEST_RULES_YAML },
      alertingYaml: secretAlertingYaml(receivers.url, slackPath),
    });
    server = await startAlertingFoghorn(dataDir, clock, {
      logger: capturingLogger(logLines),
      encryption: { key: new EncryptionKey(KEY_TEXT, 'test key'), allowUnsafeCrypto: true },
    });
    clock.nowMs = START_MS;
    await exportCalls(server.otlpUrl, slowCalls(START_MS));
    await server.alerting.tick();
    const response = await fetch(`${server.url}/api/v1/alerts/outbox?status=failed`);
    outboxText = await response.text();
    await server.close();
  }, 120_000);
  afterAll(async () => {
    await receivers.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reached both receivers with the real secrets', () => {
    expect(receivers.at(`/services/${SLACK_TOKEN}`)).toHaveLength(1);
    expect(receivers.at('/pagerduty')[0]?.body.routing_key).toBe(ROUTING_KEY);
  });

  it('masks secrets in the outbox API', () => {
    const outbox = JSON.parse(outboxText).outbox as { integration: string; lastError: string }[];
    const errors = Object.fromEntries(
      outbox.map((record) => [record.integration, record.lastError]),
    );
    expect(errors.slack).toBe(`HTTP 400: unknown webhook ${receivers.url}/…/9876`);
    expect(errors.pagerduty).toBe('HTTP 400: invalid routing key …4321');
  });

  it('masks secrets in the log', () => {
    const log = logLines.join('');
    expect(log).toContain('…4321');
    expect(log).not.toContain('slackWebhookSecret9876');
    expect(log).not.toContain(ROUTING_KEY);
  });

  it('keeps secrets out of the stored bytes', () => {
    const files = readdirSync(dataDir).filter((name) => name.includes('.duckdb'));
    for (const name of files) {
      const bytes = readFileSync(join(dataDir, name));
      expect(bytes.includes('slackWebhookSecret9876')).toBe(false);
      expect(bytes.includes(ROUTING_KEY)).toBe(false);
    }
  });
});

function secretAlertingYaml(receiversUrl: string, slackPath: string): string {
  return singleReceiverYaml(
    'pager',
    `    pagerduty_configs:
      - routing_key: ${ROUTING_KEY}
        url: ${receiversUrl}/pagerduty
    slack_configs:
      - webhook_url: ${receiversUrl}${slackPath}
`,
  );
}
