import { ConfigError } from '../errors.ts';

/** One command-line option, its environment variable and its default. */
export interface OptionSpec {
  name: string;
  env?: string;
  kind: 'string' | 'integer' | 'boolean';
  defaultValue: string | number | boolean | null;
  description: string;
  /** Smallest accepted integer. */
  min?: number;
  /** A string option that may be given more than once; the values are joined with commas. */
  repeatable?: boolean;
}

export type ParsedOptions = Record<string, string | number | boolean | null>;

/**
 * Parses `--name value`, `--name=value` and `--flag` arguments against the specs.
 * Precedence: command line, then environment, then the default. An invalid
 * command-line value throws; an invalid environment value warns and keeps the default.
 */
export function parseOptions(
  specs: readonly OptionSpec[],
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): ParsedOptions {
  const fromArgs = readArgs(specs, argv);
  const result: ParsedOptions = {};
  for (const spec of specs) {
    const raw = fromArgs.get(spec.name);
    if (raw !== undefined) {
      result[spec.name] = convert(spec, raw, `--${spec.name}`);
      continue;
    }
    result[spec.name] = readEnv(spec, env, warn);
  }
  return result;
}

function readArgs(specs: readonly OptionSpec[], argv: readonly string[]): Map<string, string> {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      throw new ConfigError(`unexpected argument "${arg}"; options start with "--" (see --help)`);
    }
    const [name, inline] = splitArg(arg.slice(2));
    const spec = byName.get(name);
    if (!spec) {
      const known = specs.map((s) => `--${s.name}`).join(', ');
      throw new ConfigError(`unknown option "--${name}"; known options: ${known}`);
    }
    const earlier = spec.repeatable === true ? values.get(name) : undefined;
    const join = (value: string): string => (earlier === undefined ? value : `${earlier},${value}`);
    if (inline !== undefined) {
      values.set(name, join(inline));
    } else if (spec.kind === 'boolean') {
      values.set(name, 'true');
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new ConfigError(`option "--${name}" needs a value (${spec.description})`);
      }
      values.set(name, join(next));
      i++;
    }
  }
  return values;
}

function splitArg(body: string): [string, string | undefined] {
  const eq = body.indexOf('=');
  return eq === -1 ? [body, undefined] : [body.slice(0, eq), body.slice(eq + 1)];
}

function readEnv(
  spec: OptionSpec,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): string | number | boolean | null {
  const raw = spec.env ? env[spec.env] : undefined;
  if (raw === undefined || raw === '') return spec.defaultValue;
  try {
    return convert(spec, raw, spec.env ?? spec.name);
  } catch (error) {
    warn(`${(error as Error).message}; using the default ${String(spec.defaultValue)}`);
    return spec.defaultValue;
  }
}

function convert(spec: OptionSpec, raw: string, source: string): string | number | boolean {
  if (spec.kind === 'string') return raw;
  if (spec.kind === 'boolean') {
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ConfigError(`${source} must be true or false, got "${raw}"`);
  }
  const value = Number(raw);
  const min = spec.min ?? 0;
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${source} must be an integer of at least ${min}, got "${raw}"`);
  }
  return value;
}

/** Formats the option table for `--help`. */
export function formatHelp(usage: string, specs: readonly OptionSpec[]): string {
  const lines = [usage, '', 'Options:'];
  for (const spec of specs) {
    const value = spec.kind === 'boolean' ? '' : ' <value>';
    const shown = spec.defaultValue === null ? 'none' : String(spec.defaultValue);
    const env = spec.env ? `, env ${spec.env}` : '';
    lines.push(`  --${spec.name}${value}`);
    lines.push(`      ${spec.description} (default: ${shown}${env})`);
  }
  lines.push('  --help', '      Print this help and exit.');
  return lines.join('\n');
}
