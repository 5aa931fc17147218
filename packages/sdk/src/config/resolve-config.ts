import type { RedactionPolicy } from '@foghorn/redact';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NOOP_LOGGER, prefixLogger, type FoghornLogger } from '../telemetry/logger.ts';
import { SDK_DEFAULTS, type ExporterKind } from './defaults.ts';
import { readEnvOptions } from './env-options.ts';
import type { FoghornOptions, MetricReaderFactory } from './options.ts';
import { validateOptions } from './validate-options.ts';

/** The effective settings of one `init()` call. */
export interface ResolvedConfig {
  disabled: boolean;
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string | undefined;
  resourceAttributes: Record<string, string>;
  tracesUrl: string;
  metricsUrl: string;
  headers: Record<string, string>;
  apiUrl: string;
  exporter: ExporterKind;
  captureContent: boolean;
  metrics: boolean;
  redaction: Partial<RedactionPolicy> | undefined;
  metricExportIntervalMs: number;
  exportTimeoutMs: number;
  maxQueuedSpans: number;
  registerGlobal: boolean;
  replaceGlobalProviders: boolean;
  metricReaders: (MetricReader | MetricReaderFactory)[];
  spanProcessors: SpanProcessor[];
  logger: FoghornLogger;
}

/** Environment variables already warned about, so each bad value is logged once per process. */
const warnedEnvProblems = new Set<string>();

/** Validates the code options (throwing), then fills gaps from the environment (warning) and the defaults. */
export function resolveConfig(options: FoghornOptions, env = process.env): ResolvedConfig {
  validateOptions(options);
  const logger = prefixLogger(options.logger ?? NOOP_LOGGER);
  const fromEnv = readEnvOptions(env);
  for (const warning of fromEnv.warnings) {
    if (warnedEnvProblems.has(warning)) continue;
    warnedEnvProblems.add(warning);
    logger.warn(warning);
  }

  const merged: FoghornOptions = { ...fromEnv.options, ...withoutUndefined(options) };
  const endpoint = trimSlash(merged.endpoint ?? SDK_DEFAULTS.endpoint);
  const codeEndpoint = options.endpoint !== undefined;
  return {
    disabled: fromEnv.disabled,
    serviceName: merged.serviceName ?? SDK_DEFAULTS.serviceName,
    serviceVersion: merged.serviceVersion,
    environment: merged.environment,
    resourceAttributes: { ...fromEnv.options.resourceAttributes, ...options.resourceAttributes },
    tracesUrl: (!codeEndpoint && fromEnv.tracesUrl) || `${endpoint}/v1/traces`,
    metricsUrl: (!codeEndpoint && fromEnv.metricsUrl) || `${endpoint}/v1/metrics`,
    headers: { ...fromEnv.options.headers, ...options.headers },
    apiUrl: trimSlash(merged.apiUrl ?? SDK_DEFAULTS.apiUrl),
    exporter: merged.exporter ?? SDK_DEFAULTS.exporter,
    captureContent: merged.captureContent ?? SDK_DEFAULTS.captureContent,
    metrics: merged.metrics ?? SDK_DEFAULTS.metrics,
    redaction: options.redaction,
    metricExportIntervalMs: merged.metricExportIntervalMs ?? SDK_DEFAULTS.metricExportIntervalMs,
    exportTimeoutMs: merged.exportTimeoutMs ?? SDK_DEFAULTS.exportTimeoutMs,
    maxQueuedSpans: merged.maxQueuedSpans ?? SDK_DEFAULTS.maxQueuedSpans,
    registerGlobal: merged.registerGlobal ?? SDK_DEFAULTS.registerGlobal,
    replaceGlobalProviders: merged.replaceGlobalProviders ?? SDK_DEFAULTS.replaceGlobalProviders,
    metricReaders: options.metricReaders ?? [],
    spanProcessors: options.spanProcessors ?? [],
    logger,
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function withoutUndefined(options: FoghornOptions): FoghornOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as FoghornOptions;
}
