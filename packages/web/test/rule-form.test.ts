import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../src/api/types.ts';
import {
  fieldsFromRule,
  parseLabelLines,
  ruleBodyFromFields,
  silenceMatchersForRule,
} from '../src/alerts/rule-form.ts';

const SLO_RULE: AlertRule = {
  id: 'errors-burn',
  project: 'default',
  panel: 'errors',
  kind: 'slo_burn',
  expr: 'error_ratio by model',
  comparator: '>',
  for: '2m',
  keep_firing_for: '0s',
  severity: 'page',
  slo: { objective: 0.99, windows: 'page' },
  labels: { team: 'llm' },
  annotations: { summary: 'burning', runbook: 'https://runbooks.example/errors' },
  origin: { kind: 'api' },
};

describe('rule form', () => {
  it('keeps fields the form lacks', () => {
    const fields = { ...fieldsFromRule(SLO_RULE), for: '5m', summary: 'burning fast' };
    const result = ruleBodyFromFields(SLO_RULE, fields);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.slo).toEqual({ objective: 0.99, windows: 'page' });
    expect(result.body.kind).toBe('slo_burn');
    expect(result.body.for).toBe('5m');
    expect(result.body.annotations).toEqual({
      summary: 'burning fast',
      runbook: 'https://runbooks.example/errors',
    });
    expect('threshold' in result.body).toBe(false);
    expect('origin' in result.body).toBe(false);
    expect('project' in result.body).toBe(false);
  });

  it('sends a threshold as a number', () => {
    const result = ruleBodyFromFields(null, { ...fieldsFromRule(SLO_RULE), threshold: ' 2.5 ' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.body.threshold).toBe(2.5);
  });

  it('rejects a threshold that is not a number', () => {
    const result = ruleBodyFromFields(SLO_RULE, { ...fieldsFromRule(SLO_RULE), threshold: '5k' });
    expect(result).toEqual({
      ok: false,
      message: 'threshold "5k" is not a number; enter a number such as 8000 or leave it empty',
    });
  });

  it('parses label lines', () => {
    expect(parseLabelLines('team = llm\n\nowner=a=b\n')).toEqual({ team: 'llm', owner: 'a=b' });
    expect(parseLabelLines('team\n')).toBe(
      'labels line 1 "team" is invalid; write one name=value pair per line',
    );
  });

  it('builds silence matchers from labels', () => {
    expect(silenceMatchersForRule({ ...SLO_RULE, labels: { note: 'say "hi"' } })).toEqual([
      'note="say \\"hi\\""',
      'alertname="errors-burn"',
    ]);
  });
});
