import type { Attributes } from '@opentelemetry/api';
import type { HistogramCell } from './histogram-series.ts';
import type { SeriesMetrics } from './instruments.ts';
import type { SumCell } from './series-sums.ts';

const SEPARATOR = '\u0000';

/**
 * The metric state of one result of a call series: its response model and
 * error type, the attribute objects by token type, and the histogram and
 * counter cells. A cell is created when its series is first recorded, so a
 * series without values is never reported.
 */
export class ResultSeries {
  readonly operationDuration: HistogramCell;
  readonly requestDuration: HistogramCell;
  private timeToFirstChunkCell: HistogramCell | null = null;
  /** The cells of `input` and `output`, which nearly every call records, kept outside the maps. */
  private inputCells: TokenCells | null = null;
  private outputCells: TokenCells | null = null;
  private readonly tokenAttributes = new Map<string, Attributes>();
  private readonly tokenUsageCells = new Map<string, HistogramCell>();
  private readonly tokenCells = new Map<string, SumCell>();
  private errorCell: SumCell | null = null;

  constructor(
    readonly attributes: Attributes,
    private readonly key: string,
    private readonly metrics: SeriesMetrics,
  ) {
    this.operationDuration = metrics.operationDuration.cell(key, attributes);
    this.requestDuration = metrics.requestDuration.cell(key, attributes);
  }

  timeToFirstChunk(): HistogramCell {
    this.timeToFirstChunkCell ??= this.metrics.timeToFirstChunk.cell(this.key, this.attributes);
    return this.timeToFirstChunkCell;
  }

  /** Returns the usage histogram and consumed counter cells of input tokens. */
  inputTokens(): TokenCells {
    this.inputCells ??= this.cellsOf('input');
    return this.inputCells;
  }

  /** Returns the usage histogram and consumed counter cells of output tokens. */
  outputTokens(): TokenCells {
    this.outputCells ??= this.cellsOf('output');
    return this.outputCells;
  }

  private cellsOf(tokenType: string): TokenCells {
    return { usage: this.tokenUsage(tokenType), consumed: this.tokenCell(tokenType) };
  }

  /** Returns the `gen_ai.client.token.usage` cell of one `gen_ai.token.type`. */
  tokenUsage(tokenType: string): HistogramCell {
    let cell = this.tokenUsageCells.get(tokenType);
    if (cell === undefined) {
      cell = this.metrics.tokenUsage.cell(this.typedKey(tokenType), this.withTokenType(tokenType));
      this.tokenUsageCells.set(tokenType, cell);
    }
    return cell;
  }

  /** Returns the `gen_ai.tokens.consumed` cell of one `gen_ai.token.type`. */
  tokenCell(tokenType: string): SumCell {
    let cell = this.tokenCells.get(tokenType);
    if (cell === undefined) {
      cell = this.metrics.tokensConsumed.cell(
        this.typedKey(tokenType),
        this.withTokenType(tokenType),
      );
      this.tokenCells.set(tokenType, cell);
    }
    return cell;
  }

  error(): SumCell {
    this.errorCell ??= this.metrics.errors.cell(this.key, this.attributes);
    return this.errorCell;
  }

  /** `attributes` plus `gen_ai.token.type`, one object per token type. */
  private withTokenType(tokenType: string): Attributes {
    let typed = this.tokenAttributes.get(tokenType);
    if (typed === undefined) {
      typed = { ...this.attributes, 'gen_ai.token.type': tokenType };
      this.tokenAttributes.set(tokenType, typed);
    }
    return typed;
  }

  private typedKey(tokenType: string): string {
    return `${this.key}${SEPARATOR}${tokenType}`;
  }
}

/** The two cells that one token type of a call records into. */
export interface TokenCells {
  /** `gen_ai.client.token.usage`, a histogram of tokens per call. */
  usage: HistogramCell;
  /** `gen_ai.tokens.consumed`, a running sum. */
  consumed: SumCell;
}

/**
 * The metric state of one call series, which operation, provider, request
 * model, tenant and feature name: the attribute objects, the in-flight cell
 * and the results seen. Built once per series, so a call allocates nothing
 * for its metrics once its series was seen.
 */
export class CallSeries {
  readonly active: SumCell;
  private readonly results = new Map<string, Map<string, ResultSeries>>();
  /** The result series found last, because consecutive calls of a series mostly share it. */
  private lastResult: {
    responseModel: string | undefined;
    errorType: string | null;
    series: ResultSeries;
  } | null = null;

  constructor(
    readonly dimensions: Readonly<SeriesDimensions>,
    readonly attributes: Attributes,
    private readonly key: string,
    private readonly metrics: SeriesMetrics,
  ) {
    this.active = metrics.activeRequests.cell(key, attributes);
  }

  /** Returns true when the series has these dimension values. */
  matches(
    operation: string,
    provider: string,
    requestModel: string | undefined,
    tenant: string | undefined,
    feature: string | undefined,
  ): boolean {
    const own = this.dimensions;
    return (
      own.operation === operation &&
      own.provider === provider &&
      own.requestModel === requestModel &&
      own.tenant === tenant &&
      own.feature === feature
    );
  }

  result(responseModel: string | undefined, errorType: string | null): ResultSeries {
    const last = this.lastResult;
    if (last !== null && last.responseModel === responseModel && last.errorType === errorType)
      return last.series;
    const series = this.findResult(responseModel, errorType);
    this.lastResult = { responseModel, errorType, series };
    return series;
  }

  private findResult(responseModel: string | undefined, errorType: string | null): ResultSeries {
    const model = responseModel ?? '';
    const error = errorType ?? '';
    let byError = this.results.get(model);
    if (byError === undefined) {
      byError = new Map();
      this.results.set(model, byError);
    }
    let result = byError.get(error);
    if (result === undefined) {
      const attributes: Attributes = { ...this.attributes };
      if (responseModel !== undefined) attributes['gen_ai.response.model'] = responseModel;
      if (errorType !== null) attributes['error.type'] = errorType;
      const key = `${this.key}${SEPARATOR}${model}${SEPARATOR}${error}`;
      result = new ResultSeries(attributes, key, this.metrics);
      byError.set(error, result);
    }
    return result;
  }
}

/** The dimensions of a call series. */
export interface SeriesDimensions {
  operation: string;
  provider: string;
  requestModel: string | undefined;
  tenant: string | undefined;
  feature: string | undefined;
}

/** Series kept; beyond it the registry starts over, which costs only rebuilding objects. */
const MAX_CACHED_SERIES = 10_000;

type Level<T> = Map<string, T>;

function child<T>(level: Level<T>, key: string, create: () => T): T {
  let value = level.get(key);
  if (value === undefined) {
    value = create();
    level.set(key, value);
  }
  return value;
}

const newLevel = <T>(): Level<T> => new Map<string, T>();

/**
 * Finds the series of a call through one map per dimension. The dimension
 * values are usually the same string objects call after call (a model name
 * constant, an attribution's tenant), whose hashes V8 keeps, so the lookups
 * cost less than building and hashing one joined key per call.
 */
export class SeriesRegistry {
  private tree: Level<Level<Level<Level<Level<CallSeries>>>>> = new Map();
  private size = 0;
  /**
   * The series found last. Consecutive calls mostly share one, and five
   * comparisons cost less than five map lookups.
   */
  private last: CallSeries | null = null;

  constructor(private readonly metrics: SeriesMetrics) {}

  forCall(
    operation: string,
    provider: string,
    requestModel: string | undefined,
    tenant: string | undefined,
    feature: string | undefined,
  ): CallSeries {
    const last = this.last;
    if (last !== null && last.matches(operation, provider, requestModel, tenant, feature))
      return last;
    const series = this.find(operation, provider, requestModel, tenant, feature);
    this.last = series;
    return series;
  }

  private find(
    operation: string,
    provider: string,
    requestModel: string | undefined,
    tenant: string | undefined,
    feature: string | undefined,
  ): CallSeries {
    const byProvider = child(this.tree, operation, newLevel<Level<Level<Level<CallSeries>>>>);
    const byModel = child(byProvider, provider, newLevel<Level<Level<CallSeries>>>);
    const byTenant = child(byModel, requestModel ?? '', newLevel<Level<CallSeries>>);
    const byFeature = child(byTenant, tenant ?? '', newLevel<CallSeries>);
    const existing = byFeature.get(feature ?? '');
    if (existing !== undefined) return existing;
    return this.create(byFeature, { operation, provider, requestModel, tenant, feature });
  }

  private create(level: Level<CallSeries>, dimensions: SeriesDimensions): CallSeries {
    const { operation, provider, requestModel, tenant, feature } = dimensions;
    if (this.size >= MAX_CACHED_SERIES) {
      this.tree = new Map();
      this.size = 0;
      return this.find(operation, provider, requestModel, tenant, feature);
    }
    const key = [operation, provider, requestModel ?? '', tenant ?? '', feature ?? ''].join(
      SEPARATOR,
    );
    const series = new CallSeries(dimensions, metricAttributesOf(dimensions), key, this.metrics);
    level.set(feature ?? '', series);
    this.size++;
    return series;
  }
}

function metricAttributesOf(dimensions: SeriesDimensions): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': dimensions.operation,
    'gen_ai.provider.name': dimensions.provider,
  };
  if (dimensions.requestModel !== undefined)
    attributes['gen_ai.request.model'] = dimensions.requestModel;
  if (dimensions.tenant !== undefined) attributes['tenant.id'] = dimensions.tenant;
  if (dimensions.feature !== undefined) attributes['feature.name'] = dimensions.feature;
  return attributes;
}
