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
