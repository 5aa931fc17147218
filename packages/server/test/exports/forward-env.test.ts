import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { FORWARD_OPTIONS, forwardingFromOptions } from '../../src/forward/forward-options.ts';

function parseWithEnv(argv: string[], env: NodeJS.ProcessEnv) {
  const warnings: string[] = [];
  const options = parseOptions(FORWARD_OPTIONS, argv, env, (message) => warnings.push(message));
  const settings = forwardingFromOptions(options, env, (message) => warnings.push(message));
  return { settings, warnings };
}

describe('forwarding environment variables', () => {
  it('bad OTLP URL warns and stays off', () => {
    const { settings, warnings } = parseWithEnv([], {
      FOGHORN_FORWARD_OTLP: 'https://user:pa55@collector.test:4318?token=abc,collector:4318',
    });
    expect(settings.forwardOtlp).toEqual({ endpoints: [], headers: {} });
    expect(warnings).toEqual([
      'FOGHORN_FORWARD_OTLP: "collector:4318" must use http or https, got collector:; OTLP forwarding stays off until FOGHORN_FORWARD_OTLP is fixed',
    ]);
  });

  it('masks credentials in a bad URL', () => {
    const { settings, warnings } = parseWithEnv([], {
      FOGHORN_REMOTE_WRITE: 'http://user:pa55@[::1/api?key=secret',
    });
    expect(settings.remoteWrite?.urls).toEqual([]);
    expect(warnings).toEqual([
      'FOGHORN_REMOTE_WRITE: "http://***@[::1/api?***" is not a URL; use a form such as http://collector:4318; Prometheus remote write stays off until FOGHORN_REMOTE_WRITE is fixed',
    ]);
    expect(warnings.join('')).not.toContain('pa55');
    expect(warnings.join('')).not.toContain('secret');
  });

  it('bad headers warn without values', () => {
    const { settings, warnings } = parseWithEnv([], {
      FOGHORN_FORWARD_OTLP: 'http://collector.test:4318',
      FOGHORN_FORWARD_OTLP_HEADERS: 'api-key=s3cret,Bearer-only-token',
      FOGHORN_REMOTE_WRITE: 'http://prom.test:9090/api/v1/write',
      FOGHORN_REMOTE_WRITE_HEADERS: 'authorization=Bearer%20T0KEN',
    });
    expect(settings.forwardOtlp).toEqual({ endpoints: [], headers: {} });
    expect(settings.remoteWrite?.urls).toEqual(['http://prom.test:9090/api/v1/write']);
    expect(settings.remoteWrite?.headers).toEqual({ authorization: 'Bearer T0KEN' });
    expect(warnings).toEqual([
      'FOGHORN_FORWARD_OTLP_HEADERS: invalid header "bearer-only-token"; use name=value pairs separated by commas, such as api-key=SECRET (got FOGHORN_FORWARD_OTLP_HEADERS=api-key=***,***); OTLP forwarding stays off until it is fixed',
    ]);
  });

  it('bad command-line value still throws', () => {
    expect(() =>
      parseWithEnv(['--remote-write', 'prom:9090'], { FOGHORN_REMOTE_WRITE: 'http://ok.test' }),
    ).toThrow('--remote-write: "prom:9090" must use http or https, got prom:');
  });
});
