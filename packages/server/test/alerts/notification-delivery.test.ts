import { afterEach, describe, expect, it } from 'vitest';
import {
  AlarmFixture,
  MINUTE_MS,
  PUBLIC_URL,
  START_MS,
  deepLinkParts,
} from './helpers/alarm-fixture.ts';

let fixture: AlarmFixture;

afterEach(async () => {
  await fixture?.close();
});

describe('notification delivery', () => {
  it('delivers after a restart exactly once', async () => {
    fixture = new AlarmFixture();
    await fixture.start();
    fixture.receivers.script('/pagerduty', [{ status: 503, body: 'unavailable' }]);
    await fixture.tickWithCalls(START_MS, 2000);
    expect(fixture.receivers.at('/pagerduty').map((request) => request.status)).toEqual([503]);
    const dataDir = fixture.server.dataDir;

    await fixture.server.close();
    await fixture.startServer({ dataDir });
    fixture.clock.nowMs = START_MS + 10_000;
    await fixture.server.alerting.tick();
    fixture.clock.nowMs = START_MS + 20_000;
    await fixture.server.alerting.tick();

    const requests = fixture.receivers.at('/pagerduty');
    expect(requests.map((request) => request.status)).toEqual([503, 202]);
    expect(requests[1]!.body).toEqual(requests[0]!.body);
    expect(fixture.pages()).toEqual(['trigger slow-calls']);
    const outbox = await fixture.server.json('/api/v1/alerts/outbox?status=pending');
    expect(outbox.body.outbox).toEqual([]);
  });

  it('retries a 429 after Retry-After and delivers once', async () => {
    fixture = new AlarmFixture();
    await fixture.start();
    fixture.receivers.script('/pagerduty', [
      { status: 429, headers: { 'retry-after': '120' }, body: 'rate limited' },
    ]);
    await fixture.tickWithCalls(START_MS, 2000);
    await fixture.tickWithCalls(START_MS + MINUTE_MS, 2000);
    expect(fixture.receivers.at('/pagerduty').map((request) => request.status)).toEqual([429]);

    await fixture.tickWithCalls(START_MS + 2 * MINUTE_MS, 2000);
    const requests = fixture.receivers.at('/pagerduty');
    expect(requests.map((request) => request.status)).toEqual([429, 202]);
    expect(fixture.pages()).toEqual(['trigger slow-calls']);

    const event = requests[1]!.body;
    expect(event.routing_key).toBe('test-routing-key-0123456789abcdef');
    expect(event.dedup_key).toMatch(/^foghorn\/slow-calls\/[0-9a-f]{16}$/);
    expect(event.payload.severity).toBe('critical');
    expect(event.payload.summary).toContain('median latency of gpt-4o is');
    const link = deepLinkParts(event.links[0].href);
    expect(link.origin).toBe(PUBLIC_URL);
    expect(link.panel).toBe('latency');
    expect(link.model).toBe('gpt-4o');
    expect(link.fromMs).toBeLessThan(START_MS);
    expect(link.toMs).toBeGreaterThanOrEqual(START_MS);
    expect(event.payload.custom_details.dashboard).toBe(event.links[0].href);
  });

  it('sends Slack and webhook payloads with the panel link', async () => {
    fixture = new AlarmFixture();
    await fixture.start();
    await fixture.tickWithCalls(START_MS, 2000);

    const slack = fixture.receivers.at('/slack');
    expect(slack).toHaveLength(1);
    const linkBlock = slack[0]!.body.blocks.find((block: any) =>
      String(block.text?.text ?? '').includes('Open the latency panel'),
    );
    const slackHref = /<([^|>]+)\|/.exec(linkBlock.text.text)![1]!;
    expect(deepLinkParts(slackHref)).toMatchObject({
      origin: PUBLIC_URL,
      panel: 'latency',
      model: 'gpt-4o',
    });
    expect(slack[0]!.body.text).toContain(slackHref);

    const hooks = fixture.receivers.at('/webhook');
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.body.version).toBe('4');
    expect(hooks[0]!.body.status).toBe('firing');
    const alert = hooks[0]!.body.alerts[0];
    expect(alert.labels).toMatchObject({
      alertname: 'slow-calls',
      model: 'gpt-4o',
      severity: 'page',
    });
    expect(deepLinkParts(alert.generatorURL)).toMatchObject({ panel: 'latency', model: 'gpt-4o' });
  });

  it('does not flap around the threshold', async () => {
    fixture = new AlarmFixture();
    await fixture.start();
    const durationsMs = [1100, 990, 1060, 960, 1040, 980, 1080, 970, 1010, 955];
    for (const [index, durationMs] of durationsMs.entries())
      await fixture.tickWithCalls(START_MS + index * MINUTE_MS, durationMs);
    expect(fixture.pages()).toEqual(['trigger slow-calls']);
    expect(fixture.receivers.at('/slack')).toHaveLength(1);

    const endMs = START_MS + durationsMs.length * MINUTE_MS;
    for (let step = 0; step <= 5; step++)
      await fixture.tickWithCalls(endMs + step * MINUTE_MS, 400);
    expect(fixture.pages()).toEqual(['trigger slow-calls', 'resolve slow-calls']);
  });
});

describe('muting', () => {
  it('silence suppresses until it expires', async () => {
    fixture = new AlarmFixture();
    await fixture.start();
    const created = await fixture.server.json('/api/v1/alerts/silences', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: ['model="gpt-4o"'],
        startsAt: START_MS,
        endsAt: START_MS + 10 * MINUTE_MS,
        comment: 'maintenance',
      }),
    });
    expect(created.status).toBe(201);

    for (let step = 0; step < 10; step++)
      await fixture.tickWithCalls(START_MS + step * MINUTE_MS, 2000);
    expect(fixture.pages()).toEqual([]);
    expect(fixture.receivers.at('/slack')).toHaveLength(0);
    const alerts = await fixture.server.json('/api/v1/alerts');
    expect(
      alerts.body.alerts.map((alert: any) => [alert.ruleId, alert.state, alert.muted]),
    ).toEqual([['slow-calls', 'firing', true]]);

    await fixture.tickWithCalls(START_MS + 10 * MINUTE_MS, 2000);
    expect(fixture.pages()).toEqual(['trigger slow-calls']);
  });

  it('inhibition suppresses the target while the source fires', async () => {
    fixture = new AlarmFixture();
    await fixture.start({ inhibit: true });
    for (let step = 0; step < 4; step++)
      await fixture.tickWithCalls(START_MS + step * MINUTE_MS, 2000, { failed: true });
    expect(fixture.pages()).toEqual(['trigger provider-errors']);

    const recoveredMs = START_MS + 4 * MINUTE_MS;
    for (let step = 0; step <= 5; step++)
      await fixture.tickWithCalls(recoveredMs + step * MINUTE_MS, 2000);
    // The target's new group is sent at once; the source's resolve waits for its group_interval.
    expect(fixture.pages()).toEqual([
      'trigger provider-errors',
      'trigger slow-calls',
      'resolve provider-errors',
    ]);
  });
});
