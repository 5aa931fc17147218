import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PUBLIC_URL,
  SimulatedClock,
  removeDataDir,
  startAlarmServer,
  type AlarmServer,
} from './helpers/alarm-server.ts';
import { CaptureReceivers, alertingYaml } from './helpers/capture-receivers.ts';
import {
  CLEAN_WEEK,
  INCIDENTS,
  MINUTE_MS,
  T0_MS,
  TRAFFIC_END_MS,
  loadScenario,
  type Incident,
} from './helpers/scenario.ts';

interface PagedEvent {
  atMs: number;
  event: any;
}

/** Evaluation step of the clean week; a condition must hold at two steps to page a rule with `for`. */
const CLEAN_STEP_MS = 60 * MINUTE_MS;
/** Evaluation step from an incident's start to its page; the measured detection time has this resolution. */
const DETECTION_STEP_MS = MINUTE_MS;
const RESOLVE_STEP_MS = 5 * MINUTE_MS;

/** Detection times measured by this test, printed for docs/alarms.md. */
const measured: Record<string, number> = {};

describe('default alarm pack on simulated traffic', () => {
  const clock = new SimulatedClock(T0_MS);
  const receivers = new CaptureReceivers();
  const paged: PagedEvent[] = [];
  let server: AlarmServer;

  /** Ticks at `atMs` and records the PagerDuty events delivered during the tick. */
  const tickAt = async (atMs: number): Promise<PagedEvent[]> => {
    clock.nowMs = atMs;
    const before = receivers.pagerDutyEvents().length;
    await server.alerting.tick();
    const fresh = receivers
      .pagerDutyEvents()
      .slice(before)
      .map((event) => ({ atMs, event }));
    paged.push(...fresh);
    return fresh;
  };

  const runCleanWeek = async (): Promise<void> => {
    for (
      let atMs = CLEAN_WEEK.startMs + CLEAN_STEP_MS;
      atMs <= CLEAN_WEEK.endMs;
      atMs += CLEAN_STEP_MS
    )
      await tickAt(atMs);
  };

  /** Steps by minutes from the start until the page, then every 5 min from the end until the resolve. */
  const runIncident = async (incident: Incident): Promise<void> => {
    await tickAt(incident.startMs - 10 * MINUTE_MS);
    for (
      let atMs = incident.startMs;
      atMs <= incident.startMs + 40 * MINUTE_MS;
      atMs += DETECTION_STEP_MS
    ) {
      const fresh = await tickAt(atMs);
      if (fresh.some(({ event }) => event.event_action === 'trigger')) break;
    }
    for (
      let atMs = incident.startMs + 45 * MINUTE_MS;
      atMs < incident.endMs;
      atMs += 15 * MINUTE_MS
    )
      await tickAt(atMs);
    for (
      let atMs = incident.endMs;
      atMs <= incident.endMs + 90 * MINUTE_MS;
      atMs += RESOLVE_STEP_MS
    ) {
      const fresh = await tickAt(atMs);
      if (fresh.some(({ event }) => event.event_action === 'resolve')) break;
    }
  };

  beforeAll(async () => {
    await receivers.start();
    server = await startAlarmServer(clock, { alertingYaml: alertingYaml(receivers.url) });
    await loadScenario(server, (ms) => (clock.nowMs = ms), INCIDENTS, TRAFFIC_END_MS);
    await runCleanWeek();
    for (const incident of INCIDENTS) await runIncident(incident);
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await receivers.stop();
    if (server) removeDataDir(server.dataDir);
    console.log(`measured detection times (min): ${JSON.stringify(measured)}`);
  });

  it('clean week pages zero times', () => {
    const inWeek = paged.filter(({ atMs }) => atMs <= CLEAN_WEEK.endMs);
    expect(inWeek.map(({ event }) => `${event.event_action} ${event.dedup_key}`)).toEqual([]);
  });

  it.each(INCIDENTS.map((incident) => [incident.name, incident] as const))(
    '%s pages once in time',
    (_name, incident) => {
      const during = paged.filter(
        ({ atMs }) => atMs >= incident.startMs && atMs <= incident.endMs + 90 * MINUTE_MS,
      );
      const triggers = during.filter(({ event }) => event.event_action === 'trigger');
      const resolves = during.filter(({ event }) => event.event_action === 'resolve');
      expect(triggers.map(({ event }) => event.payload.class)).toEqual([incident.ruleId]);
      expect(resolves).toHaveLength(1);
      expect(resolves[0]!.event.dedup_key).toBe(triggers[0]!.event.dedup_key);
      expect(resolves[0]!.atMs).toBeGreaterThan(triggers[0]!.atMs);

      const detectionMs = triggers[0]!.atMs - incident.startMs;
      measured[incident.ruleId] = detectionMs / MINUTE_MS;
      expect(detectionMs).toBeLessThanOrEqual(incident.documentedDetectionMs);
    },
  );

  it('sends no page outside the incidents', () => {
    const triggers = paged.filter(({ event }) => event.event_action === 'trigger');
    expect(triggers).toHaveLength(INCIDENTS.length);
  });

  it('page links open the panel on the incident', () => {
    const incident = INCIDENTS[0]!;
    const trigger = paged.find(
      ({ event }) => event.event_action === 'trigger' && event.payload.class === incident.ruleId,
    )!.event;
    const link = new URL(trigger.links[0].href);
    expect(`${link.origin}`).toBe(PUBLIC_URL);
    expect(link.searchParams.get('panel')).toBe('latency');
    expect(link.searchParams.get('model')).toBe('gpt-4o');
    const fromMs = Number(link.searchParams.get('from'));
    const toMs = Number(link.searchParams.get('to'));
    expect(fromMs).toBeLessThan(incident.startMs);
    expect(toMs).toBeGreaterThan(incident.startMs);
    expect(trigger.payload.custom_details.dashboard).toBe(trigger.links[0].href);
    expect(trigger.payload.severity).toBe('critical');
    expect(trigger.routing_key).toBe('test-routing-key-0123456789abcdef');
  });

  it('quality page links open the quality panel for the model', () => {
    const trigger = paged.find(
      ({ event }) => event.event_action === 'trigger' && event.payload.class === 'quality-drop',
    )!.event;
    const link = new URL(trigger.links[0].href);
    expect(link.searchParams.get('panel')).toBe('quality');
    expect(link.searchParams.get('model')).toBe('claude-sonnet-4');
  });
});
