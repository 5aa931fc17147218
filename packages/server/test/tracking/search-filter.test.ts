import { describe, expect, it } from 'vitest';
import { MlflowError } from '../../src/tracking/mlflow-error.ts';
import { parseOrderBy } from '../../src/tracking/order-by.ts';
import {
  EXPERIMENT_DIALECT,
  REGISTERED_MODEL_DIALECT,
  RUN_DIALECT,
} from '../../src/tracking/search-dialects.ts';
import { parseSearchFilter } from '../../src/tracking/search-filter.ts';

function parseError(action: () => unknown): MlflowError {
  try {
    action();
  } catch (error) {
    if (error instanceof MlflowError) return error;
    throw error;
  }
  throw new Error('expected an MlflowError');
}

describe('run search filter', () => {
  it('parses every entity type and alias', () => {
    const clauses = parseSearchFilter(
      "metrics.acc >= 0.9 and params.lr = '0.1' AND tags.team != \"ml\" AND attributes.status = 'FINISHED' " +
        "AND run_name LIKE 'lr-%' AND metric.loss < -1.5e-3 AND param.opt ILIKE 'ADAM' AND attr.end_time > 10",
      RUN_DIALECT,
    );
    expect(clauses).toEqual([
      { type: 'metric', key: 'acc', comparator: '>=', value: 0.9 },
      { type: 'param', key: 'lr', comparator: '=', value: '0.1' },
      { type: 'tag', key: 'team', comparator: '!=', value: 'ml' },
      { type: 'attribute', key: 'status', comparator: '=', value: 'FINISHED' },
      { type: 'attribute', key: 'run_name', comparator: 'LIKE', value: 'lr-%' },
      { type: 'metric', key: 'loss', comparator: '<', value: -0.0015 },
      { type: 'param', key: 'opt', comparator: 'ILIKE', value: 'ADAM' },
      { type: 'attribute', key: 'end_time', comparator: '>', value: 10 },
    ]);
  });

  it('reads backquoted and dotted keys', () => {
    const clauses = parseSearchFilter(
      "tags.`mlflow.runName` = 'a' AND tags.mlflow.source.type = 'LOCAL' AND metrics.\"val loss\" < 1",
      RUN_DIALECT,
    );
    expect(clauses.map((clause) => clause.key)).toEqual([
      'mlflow.runName',
      'mlflow.source.type',
      'val loss',
    ]);
  });

  it('maps attribute aliases to columns', () => {
    const clauses = parseSearchFilter(
      "created > 5 AND `run name` = 'x' AND run.run_id = 'abc'",
      RUN_DIALECT,
    );
    expect(clauses.map((clause) => clause.key)).toEqual(['start_time', 'run_name', 'run_id']);
  });

  it('parses IN lists and drops run IDs with capitals', () => {
    const [clause] = parseSearchFilter("attributes.run_id IN ('abc', 'ABC', \"def\")", RUN_DIALECT);
    expect(clause).toEqual({
      type: 'attribute',
      key: 'run_id',
      comparator: 'IN',
      value: ['abc', 'def'],
    });
    const [negated] = parseSearchFilter("run_id NOT IN ('a1')", RUN_DIALECT);
    expect(negated!.comparator).toBe('NOT IN');
  });

  it('parses IS NULL and IS NOT NULL for tags and metrics', () => {
    const clauses = parseSearchFilter(
      'tags.owner IS NULL AND metrics.acc IS NOT NULL',
      RUN_DIALECT,
    );
    expect(clauses).toEqual([
      { type: 'tag', key: 'owner', comparator: 'IS NULL', value: null },
      { type: 'metric', key: 'acc', comparator: 'IS NOT NULL', value: null },
    ]);
  });

  it('parses quotes escaped by doubling', () => {
    const [clause] = parseSearchFilter("params.name = 'it''s'", RUN_DIALECT);
    expect(clause!.value).toBe("it's");
  });

  it('returns no clauses for an empty filter', () => {
    expect(parseSearchFilter('', RUN_DIALECT)).toEqual([]);
    expect(parseSearchFilter('   ', RUN_DIALECT)).toEqual([]);
    expect(parseSearchFilter(undefined, RUN_DIALECT)).toEqual([]);
  });

  const errors: [string, string][] = [
    [
      "foo.bar = 'x'",
      "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
    ],
    ["attributes.color = 'red'", "Invalid attribute key 'color' specified."],
    ["metrics.acc = 'high'", 'Expected numeric value type for metric. Found'],
    [
      'params.lr = 0.1',
      "Expected a quoted string value for param (e.g. 'my-value'). Got value 0.1",
    ],
    ['metrics.acc LIKE 1', "Invalid comparator 'LIKE' not one of"],
    ["params.lr > '1'", "Invalid comparator '>' not one of"],
    [
      "start_time = 'yesterday'",
      'Expected numeric value type for numeric attribute: start_time. Found',
    ],
    ['metrics.acc > 1 OR metrics.acc < 0', "Invalid clause(s) in filter string: 'OR'"],
    ["status IN ('A')", 'attributes support comparison with a list of quoted string values'],
    ["params.lr = 'x", 'is never closed'],
    ['metrics.acc >', 'the last clause is incomplete'],
    ["datasets.color = 'x'", "Invalid dataset key 'color' specified."],
  ];
  it.each(errors)('rejects %s', (filter, message) => {
    const error = parseError(() => parseSearchFilter(filter, RUN_DIALECT));
    expect(error.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(error.httpStatus).toBe(400);
    expect(error.message).toContain(message);
  });
});

describe('other search dialects', () => {
  it('accepts experiment attributes and tags only', () => {
    const clauses = parseSearchFilter("name LIKE 'iris%' AND tags.team = 'a'", EXPERIMENT_DIALECT);
    expect(clauses).toHaveLength(2);
    const error = parseError(() => parseSearchFilter('metrics.acc > 1', EXPERIMENT_DIALECT));
    expect(error.message).toContain("Invalid entity type 'metrics'");
  });

  it('parses the prompt clause newer clients append', () => {
    const [clause] = parseSearchFilter(
      "tag.`mlflow.prompt.is_prompt` != 'true'",
      REGISTERED_MODEL_DIALECT,
    );
    expect(clause).toEqual({
      type: 'tag',
      key: 'mlflow.prompt.is_prompt',
      comparator: '!=',
      value: 'true',
    });
  });
});

describe('order_by', () => {
  it('defaults to ascending and reads DESC in any case', () => {
    expect(parseOrderBy('metrics.accuracy', RUN_DIALECT)).toEqual({
      type: 'metric',
      key: 'accuracy',
      ascending: true,
    });
    expect(parseOrderBy('metrics.`val loss` desc', RUN_DIALECT)).toEqual({
      type: 'metric',
      key: 'val loss',
      ascending: false,
    });
    expect(parseOrderBy('start_time DESC', RUN_DIALECT)).toEqual({
      type: 'attribute',
      key: 'start_time',
      ascending: false,
    });
    expect(parseOrderBy('attributes.experiment_id ASC', RUN_DIALECT).key).toBe('experiment_id');
  });

  it('rejects bad directions and extra tokens', () => {
    expect(parseError(() => parseOrderBy('metrics.acc UP', RUN_DIALECT)).message).toBe(
      "Invalid ordering key in order_by clause 'metrics.acc UP'.",
    );
    expect(parseError(() => parseOrderBy('metrics.acc DESC x', RUN_DIALECT)).message).toBe(
      "Invalid order_by clause 'metrics.acc DESC x'. Could not be parsed.",
    );
    expect(parseError(() => parseOrderBy('', RUN_DIALECT)).errorCode).toBe(
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('rejects unknown attributes and tag keys for registry searches', () => {
    expect(parseError(() => parseOrderBy('color', RUN_DIALECT)).message).toContain(
      "Invalid attribute key 'color' specified.",
    );
    expect(parseError(() => parseOrderBy('tags.x', REGISTERED_MODEL_DIALECT)).message).toBe(
      'Invalid order_by entity: tag',
    );
    expect(parseOrderBy('timestamp DESC', REGISTERED_MODEL_DIALECT).key).toBe('creation_timestamp');
  });
});
