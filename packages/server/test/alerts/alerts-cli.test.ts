import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PACK_YAML } from '../../src/alerts/default-pack.ts';
import { AlarmFixture, PUBLIC_URL, deepLinkParts } from './helpers/alarm-fixture.ts';

const FOGHORN_BIN = fileURLToPath(new URL('../../bin/foghorn.mjs', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'foghorn-alerts-cli-'));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the real CLI in a child process without blocking this process, which may host the server it calls. */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [FOGHORN_BIN, ...args],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : Number((error as { code?: number }).code ?? 1),
          stdout,
          stderr,
        });
      },
    );
  });
}

const BROKEN_YAML = `rules:
  - id: p95-high
    panel: latency
    expr: latency_p95_ms by model over 10m
    threshold: 15000
  - id: typo
    panel: latencyy
    expr: latency_p95_ms by model over 10m
    threshold: 1
  - id: p95-high
    panel: latency
    expr: latency_p95_ms by model over 5m
    threshold: fast
`;

describe('foghorn alerts check', () => {
  it('accepts the default pack', async () => {
    const file = join(folder, 'default.yaml');
    writeFileSync(file, DEFAULT_PACK_YAML);
    const result = await runCli(['alerts', 'check', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('SUCCESS: 17 rules found in 1 file(s)\n');
  });

  it('reports file:line:column problems', async () => {
    const file = join(folder, 'broken.yaml');
    writeFileSync(file, BROKEN_YAML);
    const result = await runCli(['alerts', 'check', file]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toContain(
      `FAILED: ${file}:7:12: rules[1].panel: unknown panel "latencyy"; use one of latency, errors, cost, tokens-by-model, tokens-by-feature, cost-by-tenant, quality, inflight-ttft (value: latencyy)`,
    );
    expect(
      lines.some((line) => line.startsWith(`FAILED: ${file}:13:16: rules[2].threshold: `)),
    ).toBe(true);
    expect(lines.at(-1)).toBe('2 problem(s) in 1 file(s)');
  });

  it('reports a duplicate id at its own line', async () => {
    const first = join(folder, 'a.yaml');
    const second = join(folder, 'b.yaml');
    writeFileSync(
      first,
      'rules:\n  - id: dup\n    panel: latency\n    expr: latency_p95_ms over 5m\n    threshold: 1\n',
    );
    writeFileSync(
      second,
      '# second file\nrules:\n  - id: other\n    panel: latency\n    expr: latency_p95_ms over 5m\n    threshold: 1\n  - id: dup\n    panel: latency\n    expr: latency_p50_ms over 5m\n    threshold: 1\n',
    );
    const result = await runCli(['alerts', 'check', first, second]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `FAILED: ${second}:7:9: id: duplicate rule id; ${first}:2 defines it already, so this rule is skipped (value: dup)`,
    );
  });
});

describe('foghorn alerts test', () => {
  it('sends a test notification through the server', async () => {
    const fixture = new AlarmFixture();
    try {
      await fixture.start();
      const result = await runCli(['alerts', 'test', 'slow-calls', '--url', fixture.server.url]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        'sent a test notification for slow-calls to: pager, chat, hooks\n',
      );

      const event = fixture.receivers.at('/pagerduty')[0]!.body;
      expect(event.event_action).toBe('trigger');
      expect(event.payload.summary).toContain('[test]');
      expect(deepLinkParts(event.links[0].href)).toMatchObject({
        origin: PUBLIC_URL,
        panel: 'latency',
        model: 'test',
      });
      const hook = fixture.receivers.at('/webhook')[0]!.body;
      expect(hook.alerts[0].labels).toMatchObject({ alertname: 'slow-calls', test: 'true' });
      expect(fixture.receivers.at('/slack')).toHaveLength(1);
    } finally {
      await fixture.close();
    }
  });

  it('fails for an unknown rule', async () => {
    const fixture = new AlarmFixture();
    try {
      await fixture.start();
      const result = await runCli(['alerts', 'test', 'no-such-rule', '--url', fixture.server.url]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'the server answered 404: alert rule "no-such-rule" was not found',
      );
    } finally {
      await fixture.close();
    }
  });
});
