import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { FoghornLogger } from './logger.ts';

/** The parts `registerGlobals` registered, so `unregisterGlobals` removes only those. */
export interface Registration {
  tracerProvider: boolean;
  meterProvider: boolean;
  contextManager: AsyncLocalStorageContextManager | null;
  propagator: boolean;
}

/**
 * Registers the providers, an AsyncLocalStorage context manager and the W3C
 * trace-context and baggage propagators with the OTel API. Each one that the
 * host already registered stays, with a warning, unless `replace` is true.
 */
export function registerGlobals(
  tracerProvider: NodeTracerProvider,
  meterProvider: MeterProvider,
  replace: boolean,
  logger: FoghornLogger,
): Registration {
  if (replace) {
    trace.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
  }
  const registration: Registration = {
    tracerProvider: trace.setGlobalTracerProvider(tracerProvider),
    meterProvider: metrics.setGlobalMeterProvider(meterProvider),
    contextManager: null,
    propagator: propagation.setGlobalPropagator(
      new CompositePropagator({
        propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
      }),
    ),
  };
  const contextManager = new AsyncLocalStorageContextManager().enable();
  if (context.setGlobalContextManager(contextManager)) registration.contextManager = contextManager;
  else contextManager.disable();

  if (!registration.tracerProvider || !registration.meterProvider) {
    logger.warn(
      "a global OTel tracer or meter provider was already registered, so it stays global; instrumented LLM calls still go to Foghorn. Pass replaceGlobalProviders: true to make Foghorn's providers global",
    );
  }
  return registration;
}

/** Removes what `registerGlobals` registered, so a later `init()` can register again. */
export function unregisterGlobals(registration: Registration): void {
  if (registration.tracerProvider) trace.disable();
  if (registration.meterProvider) metrics.disable();
  if (registration.propagator) propagation.disable();
  if (registration.contextManager !== null) {
    context.disable();
    registration.contextManager.disable();
  }
}
