/** Every default of `init()`, in one place. */
export const SDK_DEFAULTS = Object.freeze({
  serviceName: 'unknown_service:node',
  /** The dedicated OTLP/HTTP port of a local Foghorn. */
  endpoint: 'http://127.0.0.1:4318',
  /** The main port of a local Foghorn, which serves `POST /api/v1/scores`. */
  apiUrl: 'http://127.0.0.1:4000',
  exporter: 'otlp' as ExporterKind,
  captureContent: false,
  metrics: true,
  metricExportIntervalMs: 15_000,
  exportTimeoutMs: 10_000,
  maxQueuedSpans: 4096,
  registerGlobal: true,
  replaceGlobalProviders: false,
});

export const EXPORTER_KINDS = ['otlp', 'console', 'none'] as const;
/** `otlp` sends to Foghorn, `console` prints spans to stdout, `none` records without exporting. */
export type ExporterKind = (typeof EXPORTER_KINDS)[number];

/** The instrumentation scope name of the SDK's spans and metrics. */
export const SCOPE_NAME = '@foghorn/sdk';
export const SCOPE_VERSION = '0.1.0';
