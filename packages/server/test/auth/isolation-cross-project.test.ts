import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './auth-server.ts';
import {
  ALPHA_MARK,
  ALPHA_RULE_ID,
  ALPHA_SCORE_ID,
  ALPHA_TENANT,
  ALPHA_USER,
  BETA_PROMPT,
  BETA_TENANT,
  CHANNELS,
  METRICS_ONLY_FEATURE,
  betaCall,
  sendSignal,
  startCrossProjectServer,
  type CrossProjectServer,
} from './cross-project-fixture.ts';
import { traceRequest } from './otlp-signals.ts';

interface TextResponse {
  status: number;
  text: string;
}

/** Sends a request with a bearer token and returns the status and the raw body text. */
async function send(
  server: CrossProjectServer,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<TextResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.handle.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** Every value of alpha's data that must never reach beta. */
function alphaValues(server: CrossProjectServer, extra: readonly string[]): string[] {
  return [
    ALPHA_MARK,
    ...Object.values(server.alphaTraces),
    server.alphaSilenceId,
    server.alphaKeyId,
    ...extra,
  ];
}

function leaked(text: string, values: readonly string[]): string[] {
  return values.filter((value) => text.includes(value));
}

/** Read routes, with parameters under which alpha's response contains alpha's values. */
function readPaths(server: CrossProjectServer): string[] {
  const window = `from=${server.startUnixMs - 30 * 60_000}&to=${server.startUnixMs + 5 * 60_000}`;
  return [
    `/api/v1/llm/summary?${window}&groupBy=tenant`,
    `/api/v1/llm/summary?${window}&groupBy=service`,
    `/api/v1/llm/summary?${window}&groupBy=model&feature=${METRICS_ONLY_FEATURE}`,
    `/api/v1/llm/timeseries?${window}&groupBy=tenant&stepMs=60000`,
    `/api/v1/llm/timeseries?${window}&stepMs=60000`,
    `/api/v1/llm/dimensions?${window}`,
    `/api/v1/llm/cost?${window}`,
    `/api/v1/llm/cost/projection?groupBy=tenant`,
    `/api/v1/llm/ttft?${window}&groupBy=tenant&stepMs=60000`,
    `/api/v1/traces?${window}&limit=100`,
    `/api/v1/traces?${window}&text=balance%20of%20account`,
    `/api/v1/scores/summary?${window}`,
    `/api/v1/scores/timeseries?${window}&stepMs=60000`,
    '/api/v1/alerts',
    '/api/v1/alerts/history',
    '/api/v1/alerts/rules',
    '/api/v1/alerts/silences',
    '/api/v1/budgets',
    '/api/v1/audit',
    '/api/v1/auth/keys',
    '/api/v1/auth/users',
    '/metrics',
  ];
}

describe('cross-project isolation', () => {
  let server: CrossProjectServer;
  /** Alpha's cost and input token total as the API prints them in alpha's own responses. */
  let alphaNumbers: string[] = [];

  beforeAll(async () => {
    server = await startCrossProjectServer();
    const summary = await call(
      server.handle.url,
      'GET',
      `/api/v1/llm/summary?groupBy=tenant&from=${server.startUnixMs - 30 * 60_000}`,
      server.alphaToken,
    );
    const group = summary.body.groups.find((entry: any) => entry.key === ALPHA_TENANT);
    alphaNumbers = [String(group.costUsd), String(group.tokens.input)];
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('stores alpha data from every channel', async () => {
    expect(alphaNumbers).toEqual([expect.any(String), String(3 * 1_234_567)]);
    for (const channel of CHANNELS) {
      const trace = await send(
        server,
        'GET',
        `/api/v1/traces/${server.alphaTraces[channel]}`,
        server.alphaToken,
      );
      expect(trace.status, channel).toBe(200);
      expect(trace.text, channel).toContain(`log-${ALPHA_MARK}-${channel}`);
    }
  });

  it('shows alpha values to alpha on every read route', async () => {
    const missing: string[] = [];
    for (const path of readPaths(server)) {
      const response = await send(server, 'GET', path, server.alphaToken);
      const found = leaked(response.text, alphaValues(server, alphaNumbers));
      if (response.status !== 200 || found.length === 0)
        missing.push(`${path} → ${response.status} ${response.text.slice(0, 200)}`);
    }
    expect(missing).toEqual([]);
  });

  it('shows beta none of alpha on every read route', async () => {
    const leaks: string[] = [];
    for (const path of readPaths(server)) {
      const response = await send(server, 'GET', path, server.betaToken);
      const found = leaked(response.text, alphaValues(server, alphaNumbers));
      if (response.status !== 200 || found.length > 0)
        leaks.push(`${path} → ${response.status} ${found.join(', ')}`);
    }
    expect(leaks).toEqual([]);
  });

  it('stores each channel under its key project', async () => {
    const path = `/api/v1/llm/summary?groupBy=model&feature=${METRICS_ONLY_FEATURE}&from=${server.startUnixMs - 30 * 60_000}`;
    const models = async (token: string): Promise<unknown[]> =>
      JSON.parse((await send(server, 'GET', path, token)).text).groups.map((group: any) => [
        group.key,
        group.requests,
      ]);
    // Three duration samples per channel, from three channels.
    expect(await models(server.alphaToken)).toEqual([[`model-${ALPHA_MARK}`, 9]]);
    expect(await models(server.betaToken)).toEqual([['model-beta', 9]]);
    for (const channel of CHANNELS) {
      const tracePath = `/api/v1/traces/${server.betaTraces[channel]}`;
      const beta = await send(server, 'GET', tracePath, server.betaToken);
      expect(beta.status, channel).toBe(200);
      expect(beta.text, channel).toContain(`log-beta-${channel}`);
      expect((await send(server, 'GET', tracePath, server.alphaToken)).status, channel).toBe(404);
    }
  });

  it('shows beta its own data', async () => {
    const summary = await send(
      server,
      'GET',
      '/api/v1/llm/summary?groupBy=tenant',
      server.betaToken,
    );
    expect(JSON.parse(summary.text).groups.map((group: any) => group.key)).toEqual([BETA_TENANT]);
    const metrics = await send(server, 'GET', '/metrics', server.betaToken);
    expect(metrics.text).toContain(`tenant_id="${BETA_TENANT}"`);
    expect(metrics.text).toContain('project="beta"');
    expect(metrics.text).not.toContain('project="default"');
  });

  it('labels alpha series with its project', async () => {
    const metrics = await send(server, 'GET', '/metrics', server.alphaToken);
    const line = metrics.text
      .split('\n')
      .find((entry) => entry.startsWith('foghorn_llm_requests_total{'));
    expect(line).toContain('project="default"');
    expect(line).toContain(`tenant_id="${ALPHA_TENANT}"`);
    expect(line?.endsWith(' 3')).toBe(true);
  });

  it('keeps alpha in-flight level from beta', async () => {
    const path = `/api/v1/llm/inflight?from=${server.startUnixMs - 10 * 60_000}&to=${server.startUnixMs + 60_000}&stepMs=60000`;
    const peak = async (token: string): Promise<number> => {
      const body = JSON.parse((await send(server, 'GET', path, token)).text);
      return Math.max(...body.points.map((point: { inflight: number }) => point.inflight));
    };
    expect(await peak(server.alphaToken)).toBeGreaterThan(1);
    expect(await peak(server.betaToken)).toBeLessThan(0.1);
  });

  it('answers 404 to beta for alpha ids', async () => {
    const paths = [
      ...Object.values(server.alphaTraces).map((traceId) => `/api/v1/traces/${traceId}`),
      `/api/v1/alerts/rules/${ALPHA_RULE_ID}`,
    ];
    // The 404 message repeats the id beta asked for, so only other alpha values count as leaks.
    const alphaOnly = [
      `summary-${ALPHA_MARK}`,
      ALPHA_TENANT,
      `svc-${ALPHA_MARK}`,
      'cost_usd_per_hour',
    ];
    for (const path of paths) {
      const response = await send(server, 'GET', path, server.betaToken);
      expect(response.status, path).toBe(404);
      expect(leaked(response.text, alphaOnly), path).toEqual([]);
    }
  });

  it('keeps alpha rules from beta writes', async () => {
    const rule = `/api/v1/alerts/rules/${ALPHA_RULE_ID}`;
    expect((await send(server, 'DELETE', rule, server.betaToken)).status).toBe(404);
    expect((await send(server, 'POST', `${rule}/test`, server.betaToken)).status).toBe(404);
    const replace = await send(server, 'PUT', rule, server.betaToken, {
      id: ALPHA_RULE_ID,
      panel: 'cost-by-tenant',
      expr: 'cost_usd_per_hour over 1h',
      threshold: 1_000_000,
    });
    expect(replace.status).toBe(404);
    const alpha = JSON.parse((await send(server, 'GET', rule, server.alphaToken)).text);
    expect(alpha.expr).toBe('cost_usd_per_hour by tenant over 1h');
    expect(alpha.threshold).toBe(0);
  });

  it('keeps beta silences off alpha alerts', async () => {
    const silences = '/api/v1/alerts/silences';
    const remove = await send(
      server,
      'DELETE',
      `${silences}/${server.alphaSilenceId}`,
      server.betaToken,
    );
    expect(remove.status).toBe(404);
    const mute = await send(server, 'POST', silences, server.betaToken, {
      matchers: [`alertname="${ALPHA_RULE_ID}"`],
      duration: '1h',
    });
    expect(mute.status).toBe(201);
    await server.handle.alerting.tick();
    const alerts = JSON.parse(
      (await send(server, 'GET', '/api/v1/alerts', server.alphaToken)).text,
    );
    expect(alerts.alerts.map((alert: any) => [alert.ruleId, alert.state, alert.muted])).toEqual([
      [ALPHA_RULE_ID, 'firing', false],
    ]);
    const alphaSilences = JSON.parse((await send(server, 'GET', silences, server.alphaToken)).text);
    expect(alphaSilences.silences.map((silence: any) => [silence.id, silence.state])).toEqual([
      [server.alphaSilenceId, 'active'],
    ]);
  });

  it('keeps alpha budgets from beta writes', async () => {
    const budget = `/api/v1/budgets/${ALPHA_TENANT}`;
    expect((await send(server, 'DELETE', budget, server.betaToken)).status).toBe(404);
    expect((await send(server, 'PUT', budget, server.betaToken, { monthlyUsd: 1 })).status).toBe(
      200,
    );
    const alpha = JSON.parse(
      (await send(server, 'GET', '/api/v1/budgets', server.alphaToken)).text,
    );
    expect(alpha.tenants).toEqual({ [ALPHA_TENANT]: 777.25 });
  });

  it('keeps alpha scores from beta writes', async () => {
    const written = await send(server, 'POST', '/api/v1/scores', server.betaToken, {
      id: ALPHA_SCORE_ID,
      traceId: server.alphaTraces['otlp-port'],
      name: `faithfulness-${ALPHA_MARK}`,
      value: 0.01,
    });
    expect(written.status).toBe(201);
    const from = server.startUnixMs - 30 * 60_000;
    const alpha = JSON.parse(
      (await send(server, 'GET', `/api/v1/scores/summary?from=${from}`, server.alphaToken)).text,
    );
    expect(JSON.stringify(alpha.groups)).toContain('0.91');
    expect(JSON.stringify(alpha.groups)).not.toContain('0.01');
  });

  it('keeps alpha spans when beta reuses their ids', async () => {
    const reused = {
      ...betaCall(server.startUnixMs - 2_000),
      traceId: server.alphaTraces['otlp-port'],
      spanId: `a7a7${'1'.padStart(12, '0')}`,
    };
    await sendSignal(
      server.handle,
      'otlp-port',
      'traces',
      await traceRequest(reused),
      server.betaKey,
    );
    const path = `/api/v1/traces/${server.alphaTraces['otlp-port']}`;
    const alpha = await send(server, 'GET', path, server.alphaToken);
    expect(alpha.text).toContain(`svc-${ALPHA_MARK}`);
    expect(alpha.text).not.toContain(BETA_PROMPT);
    const beta = await send(server, 'GET', path, server.betaToken);
    expect(beta.status).toBe(200);
    expect(leaked(beta.text, [ALPHA_MARK])).toEqual([]);
  });

  it('erases nothing of alpha for beta', async () => {
    const erased = await send(server, 'POST', '/api/v1/privacy/erasure', server.betaToken, {
      userId: ALPHA_USER,
      requestedBy: 'beta',
    });
    expect(erased.status).toBe(200);
    const counts = JSON.parse(erased.text).counts as Record<string, number>;
    expect(Object.values(counts).every((count) => count === 0)).toBe(true);
    for (const traceId of Object.values(server.alphaTraces)) {
      const alpha = await send(server, 'GET', `/api/v1/traces/${traceId}`, server.alphaToken);
      expect(alpha.status, traceId).toBe(200);
    }
  });

  it('reprices only beta spans for beta', async () => {
    const costPath = `/api/v1/llm/cost?from=${server.startUnixMs - 30 * 60_000}`;
    const cost = async (token: string): Promise<number> =>
      JSON.parse((await send(server, 'GET', costPath, token)).text).totalCostUsd;
    const alphaBefore = await cost(server.alphaToken);
    const betaBefore = await cost(server.betaToken);
    // Overrides are instance-wide, so the admin of `default` sets them; beta re-prices.
    const overrides = '/api/v1/prices/overrides';
    await send(server, 'PUT', overrides, server.alphaToken, {
      overrides: [{ model: 'gpt-4o', input: 1_000, output: 1_000 }],
    });
    const repriced = await send(server, 'POST', '/api/v1/prices/reprice', server.betaToken, {
      from: new Date(server.startUnixMs - 30 * 60_000).toISOString(),
      to: new Date(server.startUnixMs + 60_000).toISOString(),
    });
    await send(server, 'PUT', overrides, server.alphaToken, { overrides: [] });
    expect(repriced.status).toBe(200);
    expect(leaked(repriced.text, alphaValues(server, alphaNumbers))).toEqual([]);
    expect(await cost(server.betaToken)).toBeGreaterThan(betaBefore * 100);
    expect(await cost(server.alphaToken)).toBe(alphaBefore);
  });

  it('keeps alpha ingest keys from beta', async () => {
    const revoke = await send(
      server,
      'DELETE',
      `/api/v1/auth/keys/${server.alphaKeyId}`,
      server.betaToken,
    );
    expect(revoke.status).toBe(404);
    const again = await traceRequest({
      ...betaCall(server.startUnixMs - 1_000),
      traceId: `a7a7${'9'.padStart(28, '0')}`,
    });
    await expect(
      sendSignal(server.handle, 'grpc', 'traces', again, server.alphaKey),
    ).resolves.toBeUndefined();
  });

  it.each(['/api/v1/panels', '/api/v1/privacy/stats', '/api/v1/alerts/outbox'])(
    'hides alpha on %s',
    async (path) => {
      const alpha = await send(server, 'GET', path, server.alphaToken);
      expect(leaked(alpha.text, [ALPHA_MARK])).toEqual([ALPHA_MARK]);
      const beta = await send(server, 'GET', path, server.betaToken);
      expect(beta.status).toBe(200);
      expect(leaked(beta.text, alphaValues(server, alphaNumbers))).toEqual([]);
    },
  );

  it('lets only the default admin change prices', async () => {
    const overrides = '/api/v1/prices/overrides';
    const before = (await send(server, 'GET', overrides, server.alphaToken)).text;
    const changed = await send(server, 'PUT', overrides, server.betaToken, {
      overrides: [{ model: 'gpt-4o', input: 1_000, output: 1_000 }],
    });
    expect(changed.status).toBe(403);
    expect(JSON.parse(changed.text).error.code).toBe('PERMISSION_DENIED');
    const mapping = await send(
      server,
      'PUT',
      '/api/v1/prices/azure-deployments',
      server.betaToken,
      {
        deployments: { 'prod-chat': 'gpt-4o-2024-08-06' },
      },
    );
    expect(mapping.status).toBe(403);
    expect((await send(server, 'GET', overrides, server.alphaToken)).text).toBe(before);
    const betaRead = await send(server, 'GET', overrides, server.betaToken);
    expect(betaRead.status).toBe(200);
    expect(betaRead.text).toBe(before);
  });
});
