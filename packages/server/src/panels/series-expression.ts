import { formatDurationMs, parseDurationMs } from './duration.ts';
import {
  METRICS,
  SERIES_DIMENSIONS,
  isSeriesDimension,
  type SeriesDimension,
} from './metric-catalog.ts';
import { setEntry } from '../lookup-table.ts';

/** A parsed series expression such as `latency_p95_ms{provider="openai"} by model over 5m`. */
export interface SeriesExpression {
  metric: string;
  matchers: Record<string, string>;
  by: SeriesDimension | null;
  /** Null when the expression names no window, as SLO rules do. */
  windowMs: number | null;
}

/** An invalid expression; `column` is the 1-based position of the problem inside the expression. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

const SHAPE = /^\s*([a-z_][a-z0-9_]*)\s*(\{[^}]*\})?\s*(?:by\s+([a-z_]+))?\s*(?:over\s+(\S+))?\s*$/;
const MATCHER = /^\s*([a-z_][a-z0-9_]*)\s*=\s*"([^"]*)"\s*$/;
const SPAN_FILTERS = ['model', 'tenant', 'feature', 'service', 'provider', 'environment'];

/** Parses and checks an expression against the metric catalog. */
export function parseSeriesExpression(text: string): SeriesExpression {
  const match = SHAPE.exec(text);
  if (!match) {
    throw new ExpressionError(
      `expression "${text}" is invalid; write METRIC{label="value"} by DIMENSION over WINDOW, such as latency_p95_ms by model over 5m`,
      1,
    );
  }
  const [, metric = '', braces, by, window] = match;
  const definition = METRICS[metric];
  if (!definition) {
    throw new ExpressionError(
      `unknown metric "${metric}"; known metrics: ${Object.keys(METRICS).join(', ')}`,
      text.indexOf(metric) + 1,
    );
  }
  const matchers = braces === undefined ? {} : parseMatchers(text, braces);
  checkMatchers(text, metric, matchers);
  const dimension = by === undefined ? null : parseDimension(text, metric, by);
  return {
    metric,
    matchers,
    by: dimension,
    windowMs: window === undefined ? null : parseWindow(text, window),
  };
}

function parseMatchers(text: string, braces: string): Record<string, string> {
  const body = braces.slice(1, -1);
  const matchers: Record<string, string> = {};
  if (body.trim() === '') return matchers;
  for (const part of body.split(',')) {
    const match = MATCHER.exec(part);
    if (!match) {
      throw new ExpressionError(
        `matcher "${part.trim()}" is invalid; write label="value"`,
        text.indexOf(part) + 1,
      );
    }
    setEntry(matchers, match[1]!, match[2]!);
  }
  return matchers;
}

function checkMatchers(text: string, metric: string, matchers: Record<string, string>): void {
  const definition = METRICS[metric]!;
  const allowed = [...SPAN_FILTERS, ...definition.extraMatchers];
  for (const name of Object.keys(matchers)) {
    if (!allowed.includes(name)) {
      throw new ExpressionError(
        `metric ${metric} has no label "${name}"; allowed labels: ${allowed.join(', ')}`,
        text.indexOf(name) + 1,
      );
    }
  }
  for (const name of definition.requiredMatchers) {
    if (matchers[name] === undefined) {
      throw new ExpressionError(
        `metric ${metric} needs the matcher ${name}="..." (${definition.description})`,
        text.indexOf(metric) + 1,
      );
    }
  }
  const threshold = matchers.threshold_ms;
  if (threshold !== undefined && !(Number(threshold) > 0)) {
    throw new ExpressionError(
      `threshold_ms="${threshold}" is invalid; use a positive number of milliseconds`,
      text.indexOf('threshold_ms') + 1,
    );
  }
}

function parseDimension(text: string, metric: string, by: string): SeriesDimension {
  const allowed = METRICS[metric]!.dimensions;
  if (!isSeriesDimension(by) || !allowed.includes(by)) {
    const hint = isSeriesDimension(by) ? allowed : SERIES_DIMENSIONS;
    throw new ExpressionError(
      `metric ${metric} cannot be grouped by "${by}"; use one of ${hint.join(', ')}`,
      text.lastIndexOf(by) + 1,
    );
  }
  return by;
}

function parseWindow(text: string, window: string): number {
  const windowMs = parseDurationMs(window);
  if (windowMs === null || windowMs < 60_000) {
    throw new ExpressionError(
      `window "${window}" is invalid; use a duration of at least 1m such as 5m, 1h or 1d`,
      text.lastIndexOf(window) + 1,
    );
  }
  return windowMs;
}

/** Formats an expression back into its canonical text. */
export function formatSeriesExpression(expression: SeriesExpression): string {
  const pairs = Object.entries(expression.matchers).map(([name, value]) => `${name}="${value}"`);
  const braces = pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
  const by = expression.by === null ? '' : ` by ${expression.by}`;
  const over = expression.windowMs === null ? '' : ` over ${formatDurationMs(expression.windowMs)}`;
  return `${expression.metric}${braces}${by}${over}`;
}
