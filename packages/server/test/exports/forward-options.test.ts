import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { FORWARD_OPTIONS, forwardingFromOptions } from '../../src/forward/forward-options.ts';

function parse(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return forwardingFromOptions(parseOptions(FORWARD_OPTIONS, argv, env, () => undefined));
}

describe('forwarding options', () => {
  it('repeated and comma-separated URLs', () => {
    const settings = parse([
      '--forward-otlp',
      'http://a.test:4318,http://b.test:4318',
      '--forward-otlp=http://c.test:4318/',
      '--remote-write',
      'http://prom.test:9090/api/v1/write',
    ]);
    expect(settings.forwardOtlp?.endpoints).toEqual([
      'http://a.test:4318',
      'http://b.test:4318',
      'http://c.test:4318/',
    ]);
    expect(settings.remoteWrite?.urls).toEqual(['http://prom.test:9090/api/v1/write']);
    expect(settings.remoteWrite?.intervalMs).toBe(15_000);
  });

  it('environment variables and headers', () => {
    const settings = parse([], {
      FOGHORN_FORWARD_OTLP: 'https://collector.test',
      FOGHORN_FORWARD_OTLP_HEADERS: 'API-Key=abc%3D%3D, x-team = llm',
      FOGHORN_REMOTE_WRITE_INTERVAL_MS: '5000',
    });
    expect(settings.forwardOtlp?.endpoints).toEqual(['https://collector.test']);
    expect(settings.forwardOtlp?.headers).toEqual({ 'api-key': 'abc==', 'x-team': 'llm' });
    expect(settings.remoteWrite?.intervalMs).toBe(5000);
  });

  it('invalid values name the option', () => {
    expect(() => parse(['--forward-otlp', 'collector:4318'])).toThrow(
      '--forward-otlp: "collector:4318" must use http or https, got collector:',
    );
    expect(() => parse(['--forward-otlp', 'not a url'])).toThrow(
      '--forward-otlp: "not a url" is not a URL; use a form such as http://collector:4318',
    );
    expect(() => parse(['--forward-otlp-headers', 'token'])).toThrow(
      '--forward-otlp-headers: invalid header "token"; use name=value pairs separated by commas, such as api-key=SECRET',
    );
  });
});
