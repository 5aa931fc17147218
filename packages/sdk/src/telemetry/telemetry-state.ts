import { metrics, trace, type Tracer } from '@opentelemetry/api';
import { SCOPE_NAME, SCOPE_VERSION } from '../config/defaults.ts';
import type { ContentRecorder } from './content-recorder.ts';
import { createMeterInstruments, type GenAiInstruments } from './instruments.ts';
import { NOOP_LOGGER, type FoghornLogger } from './logger.ts';

/** The tracer, instruments and settings that instrumented calls record with. */
export interface Telemetry {
  tracer: Tracer;
  instruments: GenAiInstruments;
  /** Null while content capture is off. */
  content: ContentRecorder | null;
  logger: FoghornLogger;
  /** Called once per failure kind when recording telemetry throws. */
  reportFailure(where: string, error: unknown): void;
}

let active: Telemetry | null = null;
let fallback: Telemetry | null = null;

/** Returns the telemetry of the running `init()`, else one built on the global OTel API, which records nothing until a host registers an SDK. */
export function currentTelemetry(): Telemetry {
  if (active !== null) return active;
  fallback ??= buildTelemetry(
    trace.getTracer(SCOPE_NAME, SCOPE_VERSION),
    createMeterInstruments(metrics.getMeter(SCOPE_NAME, SCOPE_VERSION), NOOP_LOGGER),
    null,
    NOOP_LOGGER,
  );
  return fallback;
}

export function setActiveTelemetry(telemetry: Telemetry | null): void {
  active = telemetry;
}

export function buildTelemetry(
  tracer: Tracer,
  instruments: GenAiInstruments,
  content: ContentRecorder | null,
  logger: FoghornLogger,
): Telemetry {
  const reported = new Set<string>();
  return {
    tracer,
    instruments,
    content,
    logger,
    reportFailure(where, error) {
      if (reported.has(where)) return;
      reported.add(where);
      const message = error instanceof Error ? error.message : String(error);
      logger.error(
        `recording telemetry failed in ${where}: ${message}; the call itself is unaffected, and further failures here are not logged`,
      );
    },
  };
}
