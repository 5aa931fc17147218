import type { IncidentName } from './app/incidents.ts';
import { INCIDENT_NAMES } from './app/incidents.ts';

export interface DemoOptions {
  /** Base URL of an OTLP/HTTP receiver, such as `http://127.0.0.1:4318`; spans go to `${otlpEndpoint}/v1/traces`. */
  otlpEndpoint: string;
  /** How long live traffic runs; null runs until `stop()`. */
  durationMs: number | null;
  /** Live traffic rate; default 4. */
  requestsPerSecond: number;
  /** Hours of simulated history sent before live traffic; default 3, 0 for none. */
  backfillHours: number;
  /** Seeds the traffic plan and the mock provider; the same seed and start time give the same traffic. Default 1. */
  seed: number;
  /** An incident injected into live traffic, one of `INCIDENT_NAMES`; default null. */
  incident: string | null;
  /** Receives one line per notable step. */
  log: (line: string) => void;
}

/** Default values of the demo options, for callers such as the CLI. */
export const DEMO_DEFAULTS = Object.freeze({
  durationMs: null,
  requestsPerSecond: 4,
  backfillHours: 3,
  seed: 1,
  incident: null,
});

/** Limits that keep a run bounded: at most a week of history and 200 live requests per second. */
export const DEMO_LIMITS = Object.freeze({
  maxRequestsPerSecond: 200,
  maxBackfillHours: 168,
});

export interface ResolvedDemoOptions extends Omit<DemoOptions, 'incident'> {
  tracesUrl: string;
  incident: IncidentName | null;
}

/** Checks every option and throws an error that names the option, the value and what is allowed. */
export function resolveDemoOptions(options: DemoOptions): ResolvedDemoOptions {
  const endpoint = checkEndpoint(options.otlpEndpoint);
  checkRange(
    'requestsPerSecond',
    options.requestsPerSecond,
    0,
    DEMO_LIMITS.maxRequestsPerSecond,
    false,
  );
  checkRange('backfillHours', options.backfillHours, 0, DEMO_LIMITS.maxBackfillHours, true);
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new RangeError(
      `demo option seed is ${options.seed}; expected an integer from 0 to 4294967295.`,
    );
  }
  if (options.durationMs !== null) {
    checkRange('durationMs', options.durationMs, 0, Number.MAX_SAFE_INTEGER, false);
  }
  return {
    ...options,
    otlpEndpoint: endpoint,
    tracesUrl: `${endpoint}/v1/traces`,
    incident: checkIncident(options.incident),
  };
}

function checkEndpoint(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(
      `demo option otlpEndpoint is '${value}'; expected an http or https base URL such as http://127.0.0.1:4318.`,
    );
  }
  return value.replace(/\/+$/, '');
}

function checkRange(
  name: string,
  value: number,
  min: number,
  max: number,
  minAllowed: boolean,
): void {
  const aboveMin = minAllowed ? value >= min : value > min;
  if (!Number.isFinite(value) || !aboveMin || value > max) {
    const lower = minAllowed ? `from ${min}` : `above ${min}`;
    throw new RangeError(
      `demo option ${name} is ${value}; expected a number ${lower} up to ${max}.`,
    );
  }
}

function checkIncident(value: string | null): IncidentName | null {
  if (value === null) return null;
  const known = INCIDENT_NAMES as readonly string[];
  if (!known.includes(value)) {
    throw new RangeError(
      `demo option incident is '${value}'; expected one of ${INCIDENT_NAMES.join(', ')} or null.`,
    );
  }
  return value as IncidentName;
}
