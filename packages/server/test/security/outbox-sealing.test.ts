import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const WEBHOOK_TOKEN = 'webhookPathSecret5150';
const SLACK_TOKEN = 'slackWebhookSecret7391';
const ROUTING_KEY = 'pagerdutyRoutingKeySecret2468';
const SECRETS = [WEBHOOK_TOKEN, SLACK_TOKEN, ROUTING_KEY];
const WEBHOOK_PATH = `/hooks/${WEBHOOK_TOKEN}`;
const SLACK_PATH = `/services/T0/B0/${SLACK_TOKEN}`;

function alertingYaml(receiversUrl: string): string {
  return singleReceiverYaml(
    'everyone',
    `    pagerduty_configs:
      - routing_key: ${ROUTING_KEY}
        url: ${receiversUrl}/pagerduty
    slack_configs:
      - webhook_url: ${receiversUrl}${SLACK_PATH}
    webhook_configs:
      - url: ${receiversUrl}${WEBHOOK_PATH}
`,
  );
}

interface Running {
  handle: FoghornHandle;
  logLines: string[];
}

async function start(dataDir: string, clock: SimulatedClock): Promise<Running> {
  const logLines: string[] = [];
  const handle = await startAlertingFoghorn(dataDir, clock, {
    logger: capturingLogger(logLines),
  });
  return { handle, logLines };
}

async function outbox(handle: FoghornHandle): Promise<{ text: string; records: any[] }> {
  const text = await (await fetch(`${handle.url}/api/v1/alerts/outbox`)).text();
  return { text, records: JSON.parse(text).outbox };
}

/** Reads the stored outbox columns straight from a closed data directory's DuckDB file. */
async function storedColumns(dataDir: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(join(dataDir, 'foghorn.duckdb'));
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll('SELECT url, headers, body FROM alert_outbox');
  const values = reader.getRows().flat().map(String);
  connection.closeSync();
  instance.closeSync();
  return values;
}

describe('sealed alert outbox', () => {
  const receivers = new CaptureReceivers();
  const clock = new SimulatedClock(START_MS);
  let dataDir: string;
  /** A copy of the data directory whose secrets key was replaced. */
  let otherKeyDir: string;
  let first: { text: string; logLines: string[] };

  beforeAll(async () => {
    await receivers.start();
    // The webhook fails once, so its record is still pending when Foghorn stops.
    receivers.script(WEBHOOK_PATH, [{ status: 503, body: `busy at ${WEBHOOK_PATH}` }]);
    dataDir = prepareDataDir({
      ruleFiles: { 'test.yaml': TEST_RULES_YAML },
      alertingYaml: alertingYaml(receivers.url),
    });
    const running = await start(dataDir, clock);
    await exportCalls(running.handle.otlpUrl, slowCalls(START_MS));
    await running.handle.alerting.tick();
    first = { text: (await outbox(running.handle)).text, logLines: running.logLines };
    await running.handle.close();
    otherKeyDir = mkdtempSync(join(tmpdir(), 'foghorn-other-key-'));
    cpSync(dataDir, otherKeyDir, { recursive: true });
    writeFileSync(join(otherKeyDir, 'secrets.key'), randomBytes(32).toString('hex'), {
      mode: 0o600,
    });
  }, 120_000);
  afterAll(async () => {
    await receivers.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(otherKeyDir, { recursive: true, force: true });
  });

  it('sends the real secrets to receivers', () => {
    expect(receivers.at(SLACK_PATH)).toHaveLength(1);
    expect(receivers.at('/pagerduty')[0]?.body.routing_key).toBe(ROUTING_KEY);
    expect(receivers.at(WEBHOOK_PATH).map((request) => request.status)).toEqual([503]);
  });

  it('stores the outbox columns sealed', async () => {
    const values = await storedColumns(dataDir);
    expect(values).toHaveLength(9);
    for (const value of values) expect(value).toMatch(/^sealed:v1:/);
  });

  it('keeps every secret out of the DuckDB file bytes', () => {
    const files = readdirSync(dataDir).filter((name) => name.startsWith('foghorn.duckdb'));
    expect(files).toContain('foghorn.duckdb');
    const bytes = Buffer.concat(files.map((name) => readFileSync(join(dataDir, name))));
    // Plain strings of the same table are found: the summary column names the rule.
    expect(bytes.includes('slow-calls')).toBe(true);
    for (const secret of SECRETS) expect(bytes.includes(secret), secret).toBe(false);
    expect(bytes.includes(receivers.url)).toBe(false);
  });

  it('masks secrets in the outbox API and the log', () => {
    const log = first.logLines.join('');
    expect(log).toContain('will be retried');
    for (const secret of SECRETS) {
      expect(first.text.includes(secret), secret).toBe(false);
      expect(log.includes(secret), secret).toBe(false);
    }
  });

  it('delivers a pending record after a restart', async () => {
    // Past the 5 s retry backoff, and soon enough that the alert still fires.
    clock.advance(10_000);
    const running = await start(dataDir, clock);
    try {
      await running.handle.alerting.tick();
      const webhook = (await outbox(running.handle)).records.find(
        (record) => record.integration === 'webhook',
      );
      expect(webhook.status).toBe('delivered');
    } finally {
      await running.handle.close();
    }
    expect(receivers.at(WEBHOOK_PATH).map((request) => request.status)).toEqual([503, 200]);
  });

  it('fails records sealed under another key', async () => {
    const before = receivers.at(WEBHOOK_PATH).length;
    const running = await start(otherKeyDir, clock);
    try {
      await running.handle.alerting.tick();
      const webhook = (await outbox(running.handle)).records.find(
        (record) => record.integration === 'webhook',
      );
      expect(webhook.status).toBe('failed');
      expect(webhook.lastError).toMatch(
        /^the receiver URL, headers and body of this notification cannot be decrypted/,
      );
    } finally {
      await running.handle.close();
    }
    expect(receivers.at(WEBHOOK_PATH)).toHaveLength(before);
  });
});
