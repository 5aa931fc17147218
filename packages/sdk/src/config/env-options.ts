import { EXPORTER_KINDS, type ExporterKind } from './defaults.ts';
import type { FoghornOptions } from './options.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Options read from the environment, and one warning per invalid variable. */
export interface EnvOptions {
  options: FoghornOptions;
  /** Full endpoint URLs from `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` and `..._METRICS_ENDPOINT`. */
  tracesUrl?: string;
  metricsUrl?: string;
  /** True when `OTEL_SDK_DISABLED` is `true`. */
  disabled: boolean;
  warnings: string[];
}

/**
 * Reads the `OTEL_*` and `FOGHORN_*` variables. An invalid value is skipped with
 * a warning that names the variable, the value, the expected form and the
 * default used instead. Header values never appear in a warning.
 */
export function readEnvOptions(env: Env): EnvOptions {
  const warnings: string[] = [];
  const reader = createReader(env, warnings);
  const resource = reader.keyValues('OTEL_RESOURCE_ATTRIBUTES');
  const options: FoghornOptions = {
    serviceName: reader.text('OTEL_SERVICE_NAME') ?? resource?.['service.name'],
    serviceVersion: reader.text('FOGHORN_SERVICE_VERSION') ?? resource?.['service.version'],
    environment: reader.text('FOGHORN_ENVIRONMENT') ?? resource?.['deployment.environment.name'],
    resourceAttributes: resource,
    endpoint: reader.url('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:4318'),
    headers: reader.keyValues('OTEL_EXPORTER_OTLP_HEADERS', true),
    apiUrl: reader.url('FOGHORN_URL', 'http://127.0.0.1:4000'),
    exporter: reader.exporter('FOGHORN_EXPORTER'),
    captureContent:
      reader.flag('FOGHORN_CAPTURE_CONTENT') ??
      reader.flag('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'),
    metrics: reader.flag('FOGHORN_METRICS'),
    metricExportIntervalMs:
      reader.positiveInteger('FOGHORN_METRIC_EXPORT_INTERVAL_MS') ??
      reader.positiveInteger('OTEL_METRIC_EXPORT_INTERVAL'),
  };
  checkProtocol(env, warnings);
  return {
    options: withoutUndefined(options),
    tracesUrl: reader.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'http://127.0.0.1:4318/v1/traces'),
    metricsUrl: reader.url(
      'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
      'http://127.0.0.1:4318/v1/metrics',
    ),
    disabled: reader.flag('OTEL_SDK_DISABLED') === true,
    warnings,
  };
}

function createReader(env: Env, warnings: string[]) {
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const invalid = (name: string, value: string, expected: string, fallback: string): undefined => {
    warnings.push(`${name}="${value}" is invalid; expected ${expected}; using ${fallback}`);
    return undefined;
  };
  return {
    text: raw,
    url(name: string, example: string): string | undefined {
      const value = raw(name);
      if (value === undefined || (/^https?:\/\//.test(value) && URL.canParse(value))) return value;
      return invalid(name, value, `an http:// or https:// URL such as ${example}`, 'the default');
    },
    flag(name: string): boolean | undefined {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return undefined;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      return invalid(name, value, 'true or false', 'the default');
    },
    positiveInteger(name: string): number | undefined {
      const value = raw(name);
      if (value === undefined) return undefined;
      if (/^\d+$/.test(value) && Number(value) > 0) return Number(value);
      return invalid(name, value, 'a positive whole number of milliseconds', 'the default');
    },
    exporter(name: string): ExporterKind | undefined {
      const value = raw(name)?.toLowerCase();
      if (value === undefined || (EXPORTER_KINDS as readonly string[]).includes(value)) {
        return value as ExporterKind | undefined;
      }
      return invalid(name, value, `one of ${EXPORTER_KINDS.join(', ')}`, 'the default');
    },
    keyValues(name: string, secret = false): Record<string, string> | undefined {
      const value = raw(name);
      if (value === undefined) return undefined;
      const parsed = parseKeyValues(value);
      if (parsed !== null) return parsed;
      const shown = secret ? '<hidden>' : value;
      return invalid(name, shown, 'comma-separated key=value pairs', 'none');
    },
  };
}

/** Parses `k1=v1,k2=v2` with percent-encoded values, as the OTel environment specification defines. */
function parseKeyValues(text: string): Record<string, string> | null {
  const result: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const separator = pair.indexOf('=');
    if (separator <= 0) return null;
    const key = pair.slice(0, separator).trim();
    try {
      result[key] = decodeURIComponent(pair.slice(separator + 1).trim());
    } catch {
      return null;
    }
  }
  return result;
}

function checkProtocol(env: Env, warnings: string[]): void {
  const protocol = env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim();
  if (protocol === undefined || protocol === '' || protocol === 'http/protobuf') return;
  warnings.push(
    `OTEL_EXPORTER_OTLP_PROTOCOL="${protocol}" is not supported by @foghorn/sdk; expected http/protobuf; using http/protobuf`,
  );
}

function withoutUndefined(options: FoghornOptions): FoghornOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as FoghornOptions;
}
