import type { OptionSpec } from '../cli/options.ts';

const MIB = 1024 * 1024;

/** Every option of `foghorn up`, with its environment variable and default. */
export const UP_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'host',
    env: 'FOGHORN_HOST',
    kind: 'string',
    defaultValue: '127.0.0.1',
    description: 'Address the UI, API and OTLP ports listen on',
  },
  {
    name: 'port',
    env: 'FOGHORN_PORT',
    kind: 'integer',
    defaultValue: 4000,
    description:
      'Port of the UI, the query API and OTLP/HTTP under /v1/traces; 0 picks a free port',
  },
  {
    name: 'otlp-port',
    env: 'FOGHORN_OTLP_HTTP_PORT',
    kind: 'integer',
    defaultValue: 4318,
    description: 'Port of the dedicated OTLP/HTTP receiver; 0 picks a free port',
  },
  {
    name: 'grpc-port',
    env: 'FOGHORN_OTLP_GRPC_PORT',
    kind: 'integer',
    defaultValue: 4317,
    description: 'Port of the OTLP/gRPC receiver; 0 picks a free port',
  },
  {
    name: 'data-dir',
    env: 'FOGHORN_DATA_DIR',
    kind: 'string',
    defaultValue: './foghorn-data',
    description: 'Folder of the DuckDB file and other state',
  },
  {
    name: 'store',
    env: 'FOGHORN_STORE',
    kind: 'string',
    defaultValue: null,
    description:
      'Span store: duckdb (the file in --data-dir), clickhouse://user:pass@host:8123/db[?cluster=NAME] or chdb:///dir?database=db',
  },
  {
    name: 'max-body-bytes',
    env: 'FOGHORN_MAX_BODY_BYTES',
    kind: 'integer',
    defaultValue: 64 * MIB,
    min: 1024,
    description: 'Largest OTLP request body accepted, compressed or decompressed, in bytes',
  },
  {
    name: 'max-queued-spans',
    env: 'FOGHORN_MAX_QUEUED_SPANS',
    kind: 'integer',
    defaultValue: 32768,
    min: 1,
    description:
      'Spans allowed to wait for a commit; above it OTLP requests get 503 (gRPC UNAVAILABLE) with Retry-After',
  },
  {
    name: 'memory-limit',
    env: 'FOGHORN_MEMORY_LIMIT',
    kind: 'string',
    defaultValue: null,
    description:
      "Memory DuckDB may use for its caches, span loads and queries, such as 512MiB or 2GB; default DuckDB's own, 80 % of the machine's memory",
  },
  {
    name: 'log-level',
    env: 'FOGHORN_LOG_LEVEL',
    kind: 'string',
    defaultValue: 'info',
    description: 'Log level: fatal, error, warn, info, debug or trace',
  },
  {
    name: 'demo',
    env: 'FOGHORN_DEMO',
    kind: 'boolean',
    defaultValue: false,
    description: 'Also run the demo application, sending traffic to this server',
  },
  {
    name: 'public-url',
    env: 'FOGHORN_PUBLIC_URL',
    kind: 'string',
    defaultValue: null,
    description:
      'Dashboard base URL used in alert notification links, such as https://foghorn.example.com; default the main URL',
  },
  {
    name: 'alert-interval-ms',
    env: 'FOGHORN_ALERT_INTERVAL_MS',
    kind: 'integer',
    defaultValue: 15000,
    description: 'Interval between alert rule evaluations, in milliseconds; 0 turns evaluation off',
  },
  {
    name: 'metrics-max-label-values',
    env: 'FOGHORN_METRICS_MAX_LABEL_VALUES',
    kind: 'integer',
    defaultValue: 20,
    min: 1,
    description:
      'Tenants and features with their own label value on /metrics, by request volume; the rest are "other"',
  },
]);

/** Retention options of `foghorn up`; they win over `<data-dir>/retention.yaml`. */
export const RETENTION_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'retention-spans',
    env: 'FOGHORN_RETENTION_SPANS',
    kind: 'string',
    defaultValue: null,
    description:
      'Time to live of spans; a duration such as 30d, 12h or 90m; default from retention.yaml, else kept forever',
  },
  {
    name: 'retention-content',
    env: 'FOGHORN_RETENTION_CONTENT',
    kind: 'string',
    defaultValue: null,
    description:
      'Time to live of prompt and completion content on spans (the spans stay) and of log bodies; a duration such as 30d, 12h or 90m; default from retention.yaml, else kept forever',
  },
  {
    name: 'retention-metrics',
    env: 'FOGHORN_RETENTION_METRICS',
    kind: 'string',
    defaultValue: null,
    description:
      'Time to live of metric points; a duration such as 30d, 12h or 90m; default from retention.yaml, else kept forever',
  },
  {
    name: 'retention-logs',
    env: 'FOGHORN_RETENTION_LOGS',
    kind: 'string',
    defaultValue: null,
    description:
      'Time to live of log records; a duration such as 30d, 12h or 90m; default from retention.yaml, else kept forever',
  },
  {
    name: 'retention-scores',
    env: 'FOGHORN_RETENTION_SCORES',
    kind: 'string',
    defaultValue: null,
    description:
      'Time to live of scores; a duration such as 30d, 12h or 90m; default from retention.yaml, else kept forever',
  },
  {
    name: 'retention-interval-ms',
    env: 'FOGHORN_RETENTION_INTERVAL_MS',
    kind: 'integer',
    defaultValue: null,
    min: 1000,
    description: 'Milliseconds between retention runs; default from retention.yaml, else 3600000',
  },
  {
    name: 'compact-on-start',
    env: 'FOGHORN_COMPACT_ON_START',
    kind: 'boolean',
    defaultValue: false,
    description:
      'Copy the live data of the DuckDB file into a new file before starting, so that the file shrinks',
  },
]);

export const COMPACT_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'data-dir',
    env: 'FOGHORN_DATA_DIR',
    kind: 'string',
    defaultValue: './foghorn-data',
    description: 'Folder of the DuckDB file to compact; no server may be running on it',
  },
]);

export const ERASE_USER_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'user',
    kind: 'string',
    defaultValue: null,
    description: 'The user id to erase, raw or as its anon: pseudonym (required)',
  },
  {
    name: 'url',
    env: 'FOGHORN_URL',
    kind: 'string',
    defaultValue: 'http://127.0.0.1:4000',
    description: 'Base URL of the running Foghorn server',
  },
  {
    name: 'requested-by',
    kind: 'string',
    defaultValue: null,
    description: 'Who asks, written to the erasure log; default cli:<user name of this process>',
  },
]);

export const DEMO_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'otlp-endpoint',
    env: 'FOGHORN_DEMO_OTLP_ENDPOINT',
    kind: 'string',
    defaultValue: 'http://127.0.0.1:4318',
    description: 'Base URL of the OTLP/HTTP receiver the demo sends traces to',
  },
  {
    name: 'duration-ms',
    kind: 'integer',
    defaultValue: 0,
    description: 'How long live traffic runs, in milliseconds; 0 runs until interrupted',
  },
  {
    name: 'requests-per-second',
    kind: 'integer',
    defaultValue: 4,
    min: 1,
    description: 'Rate of live demo requests',
  },
  {
    name: 'backfill-hours',
    kind: 'integer',
    defaultValue: 3,
    description: 'Hours of simulated history sent before live traffic',
  },
  {
    name: 'seed',
    kind: 'integer',
    defaultValue: 1,
    description: 'Seed of the traffic generator; the same seed gives the same traffic',
  },
  {
    name: 'incident',
    kind: 'string',
    defaultValue: null,
    description:
      'Incident to inject: latency_spike, rate_limit_storm, runaway_tenant, quality_drop or silent_service',
  },
]);

/** Options of `foghorn prices reprice`. */
export const REPRICE_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'from',
    kind: 'string',
    defaultValue: null,
    description:
      'Start of the re-priced window: RFC 3339 time, YYYY-MM-DD day or Unix milliseconds; default the first stored span',
  },
  {
    name: 'to',
    kind: 'string',
    defaultValue: null,
    description:
      'End of the re-priced window (exclusive), same forms as --from; default an hour from now',
  },
  {
    name: 'data-dir',
    env: 'FOGHORN_DATA_DIR',
    kind: 'string',
    defaultValue: './foghorn-data',
    description:
      'Folder of the DuckDB file and prices.yaml, opened directly when --url is not given',
  },
  {
    name: 'url',
    env: 'FOGHORN_URL',
    kind: 'string',
    defaultValue: null,
    description:
      'Base URL of a running Foghorn server, such as http://127.0.0.1:4000; the server re-prices its own file',
  },
  {
    name: 'json',
    kind: 'boolean',
    defaultValue: false,
    description: 'Print the report as JSON instead of a table',
  },
]);

const EXPORT_COMMON_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'data-dir',
    env: 'FOGHORN_DATA_DIR',
    kind: 'string',
    defaultValue: './foghorn-data',
    description:
      'Folder whose alerts/*.yaml rules are exported; without that folder, the default alarm pack',
  },
  {
    name: 'public-url',
    env: 'FOGHORN_PUBLIC_URL',
    kind: 'string',
    defaultValue: 'http://127.0.0.1:4000',
    description: 'Foghorn dashboard base URL used in alert annotations and dashboard links',
  },
];

/** Options of `foghorn export prometheus-rules`. */
export const EXPORT_RULES_OPTIONS: readonly OptionSpec[] = Object.freeze([
  ...EXPORT_COMMON_OPTIONS,
  {
    name: 'out',
    kind: 'string',
    defaultValue: null,
    description: 'File to write the rules to; default standard output',
  },
]);

/** Options of `foghorn export grafana`. */
export const EXPORT_GRAFANA_OPTIONS: readonly OptionSpec[] = Object.freeze([
  ...EXPORT_COMMON_OPTIONS,
  {
    name: 'out-dir',
    kind: 'string',
    defaultValue: './grafana',
    description: 'Folder to write dashboards/ and provisioning/ into',
  },
  {
    name: 'prometheus-url',
    kind: 'string',
    defaultValue: 'http://127.0.0.1:9090',
    description: 'URL of the Prometheus server that scrapes Foghorn, for the datasource file',
  },
  {
    name: 'dashboards-path',
    kind: 'string',
    defaultValue: null,
    description:
      'Folder of the dashboard JSON as Grafana sees it, for the dashboard provider; default <out-dir>/dashboards',
  },
]);
