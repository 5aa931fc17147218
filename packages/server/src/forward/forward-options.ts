import type { OptionSpec, ParsedOptions } from '../cli/options.ts';
import type { ExportsConfig } from '../exports/open-exports.ts';
import { ConfigError } from '../errors.ts';
import {
  FORWARD_DEFAULTS,
  maskHeaderList,
  parseHeaderList,
  parseUrlList,
} from './forward-settings.ts';

/** Options of `foghorn up` that send data on to other systems. */
export const FORWARD_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'forward-otlp',
    env: 'FOGHORN_FORWARD_OTLP',
    kind: 'string',
    repeatable: true,
    defaultValue: null,
    description:
      'OTLP/HTTP base URL, such as http://collector:4318, that receives every span, metric data point and log record after redaction, as protobuf on /v1/traces, /v1/metrics and /v1/logs; repeat the option or give a comma list for several',
  },
  {
    name: 'forward-otlp-headers',
    env: 'FOGHORN_FORWARD_OTLP_HEADERS',
    kind: 'string',
    defaultValue: null,
    description:
      'Headers of every forwarded OTLP request as name=value pairs separated by commas, such as api-key=SECRET; values may be percent-encoded',
  },
  {
    name: 'remote-write',
    env: 'FOGHORN_REMOTE_WRITE',
    kind: 'string',
    repeatable: true,
    defaultValue: null,
    description:
      'Prometheus remote-write URL, such as http://prometheus:9090/api/v1/write, that receives the /metrics series; repeat the option or give a comma list for several',
  },
  {
    name: 'remote-write-headers',
    env: 'FOGHORN_REMOTE_WRITE_HEADERS',
    kind: 'string',
    defaultValue: null,
    description:
      'Headers of every remote-write request as name=value pairs separated by commas, such as authorization=Bearer%20TOKEN',
  },
  {
    name: 'remote-write-interval-ms',
    env: 'FOGHORN_REMOTE_WRITE_INTERVAL_MS',
    kind: 'integer',
    defaultValue: FORWARD_DEFAULTS.remoteWriteIntervalMs,
    min: 1000,
    description: 'Milliseconds between remote-write requests',
  },
]);

function text(options: ParsedOptions, name: string): string | null {
  return options[name] === null || options[name] === undefined ? null : String(options[name]);
}

/** Prints an environment warning the way `foghorn up` prints the others, on stderr. */
function warnOnStderr(message: string): void {
  process.stderr.write(`foghorn: ${message}\n`);
}

/**
 * Parses the URL and header options of one kind of forwarding. An invalid
 * command-line value throws a ConfigError. An invalid environment variable logs
 * one warning with the value masked and turns that forwarding off, its default.
 * A value counts as coming from the environment when it equals the variable,
 * because the parsed options do not record where a value came from.
 */
function parseTarget(
  options: ParsedOptions,
  names: { urls: string; headers: string; label: string },
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): { urls: string[]; headers: Record<string, string> } {
  const off = { urls: [], headers: {} };
  const urlsEnv = FORWARD_OPTIONS.find((spec) => spec.name === names.urls)!.env!;
  const headersEnv = FORWARD_OPTIONS.find((spec) => spec.name === names.headers)!.env!;
  const urlsText = text(options, names.urls);
  const headersText = text(options, names.headers);
  const urlsFromEnv = urlsText !== null && env[urlsEnv] === urlsText;
  const headersFromEnv = headersText !== null && env[headersEnv] === headersText;
  let urls: string[];
  let headers: Record<string, string>;
  try {
    urls = parseUrlList(urlsText, urlsFromEnv ? urlsEnv : `--${names.urls}`);
  } catch (error) {
    if (!urlsFromEnv || !(error instanceof ConfigError)) throw error;
    warn(`${error.message}; ${names.label} stays off until ${urlsEnv} is fixed`);
    return off;
  }
  try {
    headers = parseHeaderList(headersText, headersFromEnv ? headersEnv : `--${names.headers}`);
  } catch (error) {
    if (!headersFromEnv || !(error instanceof ConfigError)) throw error;
    warn(
      `${error.message} (got ${headersEnv}=${maskHeaderList(headersText)}); ${names.label} stays off until it is fixed`,
    );
    return off;
  }
  return { urls, headers };
}

/**
 * Builds the forwarding settings of `startFoghorn` from parsed options. Invalid
 * URLs or headers given on the command line throw a ConfigError; given in the
 * environment, they log a warning through `warn` and leave that forwarding off.
 */
export function forwardingFromOptions(
  options: ParsedOptions,
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = warnOnStderr,
): Pick<ExportsConfig, 'forwardOtlp' | 'remoteWrite'> {
  const otlp = parseTarget(
    options,
    { urls: 'forward-otlp', headers: 'forward-otlp-headers', label: 'OTLP forwarding' },
    env,
    warn,
  );
  const remoteWrite = parseTarget(
    options,
    { urls: 'remote-write', headers: 'remote-write-headers', label: 'Prometheus remote write' },
    env,
    warn,
  );
  return {
    forwardOtlp: { endpoints: otlp.urls, headers: otlp.headers },
    remoteWrite: {
      urls: remoteWrite.urls,
      headers: remoteWrite.headers,
      intervalMs: Number(options['remote-write-interval-ms']),
    },
  };
}
