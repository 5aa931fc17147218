import { describe, expect, it } from 'vitest';
import { buildScopeQuery, ingestInfoFromBody } from '../src/api/client.ts';

describe('buildScopeQuery', () => {
  it('sends bounds in ms and set filters only', () => {
    const query = buildScopeQuery(
      { range: { fromMs: 1000.7, toMs: 5000 }, filters: { model: 'gpt-4o', tenant: 'a&b' } },
      { groupBy: 'model' },
    );
    expect(query).toBe('from=1000&to=5000&model=gpt-4o&tenant=a%26b&groupBy=model');
  });
});

describe('ingestInfoFromBody', () => {
  it('reads a base endpoint', () => {
    expect(ingestInfoFromBody({ otlpEndpoint: 'http://127.0.0.1:5318/' })).toEqual({
      otlpEndpoint: 'http://127.0.0.1:5318',
      otlpTracesUrl: 'http://127.0.0.1:5318/v1/traces',
    });
  });

  it('reads a nested traces URL', () => {
    const info = ingestInfoFromBody({ otlp: { tracesUrl: 'http://127.0.0.1:9999/v1/traces' } });
    expect(info.otlpEndpoint).toBe('http://127.0.0.1:9999');
  });

  it('falls back to the default port', () => {
    expect(ingestInfoFromBody({ version: '0.1.0' }).otlpTracesUrl).toBe(
      'http://127.0.0.1:4318/v1/traces',
    );
  });
});
