import { createNoopMeter } from '@opentelemetry/api';
import { SCOPE_NAME, SCOPE_VERSION } from './config/defaults.ts';
import type { FoghornOptions } from './config/options.ts';
import { resolveConfig, type ResolvedConfig } from './config/resolve-config.ts';
import { patchAnthropic } from './anthropic/instrument-anthropic.ts';
import { patchOpenAI } from './openai/instrument-openai.ts';
import { createContentRecorder } from './telemetry/content-recorder.ts';
import {
  registerGlobals,
  unregisterGlobals,
  type Registration,
} from './telemetry/global-registration.ts';
import { createMeterInstruments, type GenAiInstruments } from './telemetry/instruments.ts';
import { createProviders, type Providers } from './telemetry/providers.ts';
import { buildTelemetry, setActiveTelemetry } from './telemetry/telemetry-state.ts';

/** The running SDK, as `init()` returns it. */
export interface FoghornSdk {
  /** The effective settings, with header values left out. */
  readonly config: Readonly<Omit<ResolvedConfig, 'headers'>>;
  /** Exports what is buffered now; resolves when the exports end, successful or not. */
  forceFlush(): Promise<void>;
  /** Flushes and stops; later calls return the same promise. */
  shutdown(): Promise<void>;
}

let running: { sdk: FoghornSdk; config: ResolvedConfig; stopped: Promise<void> | null } | null =
  null;

/**
 * Starts the SDK: OTel tracer and meter providers exporting to Foghorn over
 * OTLP/HTTP, GenAI histogram buckets, and the telemetry that instrumented
 * clients record. Throws a `FoghornConfigError` on an invalid option; logs a
 * warning and uses the default for an invalid environment variable. A second
 * call before `shutdown()` returns the running SDK and ignores its options.
 */
export function init(options: FoghornOptions = {}): FoghornSdk {
  if (running !== null && running.stopped === null) {
    resolveConfig(options).logger.warn(
      'init() was called again while the SDK runs; the first settings stay',
    );
    return running.sdk;
  }
  const config = resolveConfig(options);
  if (options.patch?.openai !== undefined) patchOpenAI(options.patch.openai);
  if (options.patch?.anthropic !== undefined) patchAnthropic(options.patch.anthropic);
  if (config.disabled) return startDisabled(config);

  const providers = createProviders(config);
  const registration = config.registerGlobal
    ? registerGlobals(
        providers.tracerProvider,
        providers.meterProvider,
        config.replaceGlobalProviders,
        config.logger,
      )
    : null;
  const content = config.captureContent ? createContentRecorder(config.redaction) : null;
  setActiveTelemetry(
    buildTelemetry(
      providers.tracerProvider.getTracer(SCOPE_NAME, SCOPE_VERSION),
      instrumentsOf(config, providers),
      content,
      config.logger,
    ),
  );
  const sdk = createHandle(config, providers, registration);
  running = { sdk, config, stopped: null };
  config.logger.info(
    `started: service ${config.serviceName}, exporter ${config.exporter}, traces to ${config.tracesUrl}, content capture ${config.captureContent ? 'on' : 'off'}`,
  );
  return sdk;
}

/**
 * Returns the instruments behind the SDK's metric producer, else instruments
 * on the SDK's MeterProvider, else, with metrics off, instruments on a no-op meter.
 */
function instrumentsOf(config: ResolvedConfig, providers: Providers): GenAiInstruments {
  if (providers.aggregated !== null) return providers.aggregated;
  const meter = config.metrics
    ? providers.meterProvider.getMeter(SCOPE_NAME, SCOPE_VERSION)
    : createNoopMeter();
  return createMeterInstruments(meter, config.logger);
}

/** Flushes and stops the SDK started by `init()`; does nothing when none runs. Idempotent. */
export function shutdown(): Promise<void> {
  return running?.sdk.shutdown() ?? Promise.resolve();
}

/** Returns the settings of the running SDK, or null before `init()` and after `shutdown()`. */
export function runningConfig(): ResolvedConfig | null {
  return running === null || running.stopped !== null ? null : running.config;
}

function createHandle(
  config: ResolvedConfig,
  providers: Providers,
  registration: Registration | null,
): FoghornSdk {
  const { headers: _headers, ...visible } = config;
  let stopped: Promise<void> | null = null;
  const forceFlush = async (): Promise<void> => {
    // A failed export is counted by the exporter wrappers; the host's await never rejects because of it.
    await Promise.all([
      providers.tracerProvider.forceFlush(),
      providers.meterProvider.forceFlush(),
    ]).catch(() => {});
  };
  const sdk: FoghornSdk = {
    config: Object.freeze(visible),
    forceFlush,
    shutdown() {
      stopped ??= stop(config, providers, registration);
      if (running?.sdk === sdk) running.stopped = stopped;
      return stopped;
    },
  };
  return sdk;
}

async function stop(
  config: ResolvedConfig,
  providers: Providers,
  registration: Registration | null,
): Promise<void> {
  setActiveTelemetry(null);
  try {
    await Promise.all([providers.tracerProvider.shutdown(), providers.meterProvider.shutdown()]);
  } catch (error) {
    config.logger.error(
      `flushing at shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  for (const drops of providers.drops) drops.recover();
  if (registration !== null) unregisterGlobals(registration);
  config.logger.info('stopped');
}

function startDisabled(config: ResolvedConfig): FoghornSdk {
  config.logger.info('OTEL_SDK_DISABLED is true, so nothing is recorded or exported');
  const { headers: _headers, ...visible } = config;
  const sdk: FoghornSdk = {
    config: Object.freeze(visible),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  return sdk;
}
