import { FoghornConfigError } from './config-error.ts';
import { EXPORTER_KINDS } from './defaults.ts';
import type { FoghornOptions } from './options.ts';

/** Throws a `FoghornConfigError` naming the first invalid option passed in code. */
export function validateOptions(options: FoghornOptions): void {
  optionalString(options, 'serviceName');
  optionalString(options, 'serviceVersion');
  optionalString(options, 'environment');
  optionalUrl(options, 'endpoint');
  optionalUrl(options, 'apiUrl');
  optionalPositiveInteger(options, 'metricExportIntervalMs');
  optionalPositiveInteger(options, 'exportTimeoutMs');
  optionalPositiveInteger(options, 'maxQueuedSpans');
  optionalBoolean(options, 'captureContent');
  optionalBoolean(options, 'metrics');
  optionalBoolean(options, 'registerGlobal');
  optionalBoolean(options, 'replaceGlobalProviders');
  optionalStringRecord(options, 'headers');
  optionalStringRecord(options, 'resourceAttributes');
  optionalArray(options, 'metricReaders');
  metricReaderEntries(options);
  optionalArray(options, 'spanProcessors');
  if (options.exporter !== undefined && !EXPORTER_KINDS.includes(options.exporter)) {
    fail('exporter', options.exporter, `one of ${EXPORTER_KINDS.join(', ')}`);
  }
}

function fail(field: string, value: unknown, expected: string): never {
  throw new FoghornConfigError(
    `init option "${field}" is ${JSON.stringify(value) ?? String(value)}; expected ${expected}`,
  );
}

function optionalString(options: FoghornOptions, field: keyof FoghornOptions): void {
  const value = options[field];
  if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
    fail(field, value, 'a non-empty string');
  }
}

function optionalUrl(options: FoghornOptions, field: keyof FoghornOptions): void {
  const value = options[field];
  if (value === undefined) return;
  if (typeof value !== 'string' || !/^https?:\/\//.test(value) || !URL.canParse(value)) {
    fail(field, value, 'an http:// or https:// URL such as http://127.0.0.1:4318');
  }
}

function optionalPositiveInteger(options: FoghornOptions, field: keyof FoghornOptions): void {
  const value = options[field];
  if (value !== undefined && !(Number.isInteger(value) && (value as number) > 0)) {
    fail(field, value, 'a positive integer');
  }
}

function optionalBoolean(options: FoghornOptions, field: keyof FoghornOptions): void {
  const value = options[field];
  if (value !== undefined && typeof value !== 'boolean') fail(field, value, 'true or false');
}

function optionalArray(options: FoghornOptions, field: 'metricReaders' | 'spanProcessors'): void {
  const value = options[field];
  if (value !== undefined && !Array.isArray(value)) fail(field, typeof value, 'an array');
}

function metricReaderEntries(options: FoghornOptions): void {
  const entries = options.metricReaders ?? [];
  entries.forEach((entry: unknown, index) => {
    const isReader = typeof entry === 'object' && entry !== null && 'collect' in entry;
    if (typeof entry !== 'function' && !isReader) {
      fail(
        `metricReaders[${index}]`,
        entry === null ? null : typeof entry,
        'a MetricReader or a function that builds one from { metricProducers }',
      );
    }
  });
}

function optionalStringRecord(
  options: FoghornOptions,
  field: 'headers' | 'resourceAttributes',
): void {
  const value = options[field];
  if (value === undefined) return;
  const valid =
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((entry) => typeof entry === 'string');
  if (!valid) fail(field, value === null ? null : '[object]', 'an object of string values');
}
