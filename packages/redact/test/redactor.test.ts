import { describe, expect, it } from 'vitest';
import {
  createPseudonymizer,
  createRedactor,
  hashContent,
  hasJwtHeader,
  isIpv6,
  isValidSsn,
  passesIbanChecksum,
  passesLuhn,
  type RedactableSpan,
  type RedactionPolicy,
} from '../src/index.ts';

const SECRET = 'unit-test-secret-0123456789';

function makeSpan(attributes: RedactableSpan['attributes']): RedactableSpan {
  return {
    name: 'chat gpt-4o',
    serviceName: 'checkout',
    environment: 'production',
    statusMessage: null,
    userId: null,
    sessionId: null,
    tenant: null,
    feature: null,
    attributes,
    resourceAttributes: { 'service.name': 'checkout' },
    events: [],
  };
}

function redactOne(
  policy: Partial<RedactionPolicy>,
  attributes: RedactableSpan['attributes'],
): RedactableSpan {
  const span = makeSpan(attributes);
  createRedactor({ policy, pseudonymSecret: SECRET }).redactSpan(span);
  return span;
}

describe('checksums', () => {
  it('luhn accepts test cards only', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
  it('iban mod 97', () => {
    expect(passesIbanChecksum('DE89370400440532013000')).toBe(true);
    expect(passesIbanChecksum('DE89370400440532013001')).toBe(false);
  });
  it('ssn area, group and serial rules', () => {
    expect(isValidSsn('123', '45', '6789')).toBe(true);
    expect(isValidSsn('000', '45', '6789')).toBe(false);
    expect(isValidSsn('666', '45', '6789')).toBe(false);
    expect(isValidSsn('901', '45', '6789')).toBe(false);
    expect(isValidSsn('123', '00', '6789')).toBe(false);
    expect(isValidSsn('123', '45', '0000')).toBe(false);
  });
  it('ipv6 syntax', () => {
    expect(isIpv6('2001:db8::1')).toBe(true);
    expect(isIpv6('::ffff:192.0.2.1')).toBe(true);
    expect(isIpv6('1:2:3:4:5:6:7')).toBe(false);
    expect(isIpv6('2001::db8::1')).toBe(false);
  });
  it('jwt header must be JSON', () => {
    expect(hasJwtHeader('eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe(true);
    expect(hasJwtHeader('eyJub3Rqc29u.e30.sig')).toBe(false);
  });
});

describe('detectors in text', () => {
  const redactor = createRedactor({ pseudonymSecret: SECRET });
  it.each([
    ['mail a.b@example.com', 'mail [REDACTED:email]'],
    ['call +1 415 555 2671 now', 'call [REDACTED:phone] now'],
    ['card 4111-1111-1111-1111.', 'card [REDACTED:payment_card].'],
    ['iban DE89 3704 0044 0532 0130 00', 'iban [REDACTED:iban]'],
    ['ssn 123-45-6789', 'ssn [REDACTED:us_ssn]'],
    ['ip 198.51.100.4', 'ip [REDACTED:ipv4]'],
    ['ip 2001:db8::42', 'ip [REDACTED:ipv6]'],
    ['Bearer abcdefgh12345678', 'Bearer [REDACTED:bearer_token]'],
    ['password=hunter22', 'password=[REDACTED:credential]'],
  ])('%s', (input, expected) => {
    expect(redactor.redactText(input)).toBe(expected);
  });
});

describe('JSON inside strings', () => {
  const redactor = createRedactor({ pseudonymSecret: SECRET });
  it('redacts leaves and keeps valid JSON', () => {
    const output = redactor.redactText('{"a":[{"text":"mail x@example.com"}],"n":12}');
    expect(JSON.parse(output)).toEqual({ a: [{ text: 'mail [REDACTED:email]' }], n: 12 });
  });
  it('redacts values under credential keys', () => {
    expect(JSON.parse(redactor.redactText('{"password":"hunter2","user":"bo"}'))).toEqual({
      password: '[REDACTED:credential]',
      user: 'bo',
    });
  });
  it('falls back to text for truncated JSON', () => {
    expect(redactor.redactText('{"t":"mail x@example.com')).toBe('{"t":"mail [REDACTED:email]');
  });
  it('leaves JSON without findings byte for byte', () => {
    const text = '{ "a" : "plain text" }';
    expect(redactor.redactText(text)).toBe(text);
  });
  it('keeps JSON byte for byte when only the prefilter matched', () => {
    const text = '{ "at" : "12:30:45", "n" : 1 }';
    expect(redactor.redactText(text)).toBe(text);
  });
});

describe('result cache', () => {
  it('counts a repeated string each time', () => {
    const redactor = createRedactor({ pseudonymSecret: SECRET });
    const prompt = `You are a helpful assistant. Escalate to ops@example.com when unsure. ${'Be brief. '.repeat(8)}`;
    const first = redactor.redactText(prompt);
    const second = redactor.redactText(prompt);
    expect(second).toBe(first);
    expect(first).toContain('[REDACTED:email]');
    expect(redactor.stats().totals.byDetector.email).toBe(2);
  });
  it('returns the same redaction for a cached JSON value', () => {
    const redactor = createRedactor({ pseudonymSecret: SECRET });
    const text = JSON.stringify({ system: 'Reply to help@example.com', padding: 'x'.repeat(40) });
    const first = redactor.redactText(text);
    expect(redactor.redactText(text)).toBe(first);
    expect(JSON.parse(first).system).toBe('Reply to [REDACTED:email]');
  });
});

describe('custom patterns', () => {
  it('replaces matches by name', () => {
    const span = redactOne(
      { customPatterns: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }] },
      { note: 'id EMP-123456' },
    );
    expect(span.attributes.note).toBe('id [REDACTED:employee_id]');
  });
  it('rejects an invalid regex', () => {
    expect(() =>
      createRedactor({
        policy: { customPatterns: [{ name: 'x', pattern: '(' }] },
        pseudonymSecret: SECRET,
      }),
    ).toThrow(/customPatterns\[0\]\.pattern is not a valid regular expression/);
  });
});

describe('allow and deny lists', () => {
  it('allowed keys skip detection', () => {
    const span = redactOne({ allowKeys: ['app.contact'] }, { 'app.contact': 'a@example.com' });
    expect(span.attributes['app.contact']).toBe('a@example.com');
  });
  it('denied globs are dropped', () => {
    const span = redactOne(
      { denyKeys: ['http.request.header.*'] },
      { 'http.request.header.x-trace': ['v'], keep: 'ok' },
    );
    expect(span.attributes).toEqual({ keep: 'ok' });
  });
  it('deny wins over allow', () => {
    const span = redactOne(
      { allowKeys: ['app.*'], denyKeys: ['app.secret_note'], denyAction: 'replace' },
      { 'app.secret_note': 'x', 'app.other': 'a@example.com' },
    );
    expect(span.attributes['app.secret_note']).toBe('[REDACTED:denied]');
    expect(span.attributes['app.other']).toBe('a@example.com');
  });
});

describe('content modes', () => {
  const prompt = 'Reach me at a@example.com please';
  const redactedPrompt = 'Reach me at [REDACTED:email] please';
  const policyFor = (
    mode: 'keep' | 'drop' | 'hash' | 'truncate',
    maxChars?: number,
  ): Partial<RedactionPolicy> => ({
    content: { default: { mode: 'keep' }, rules: [{ service: 'checkout', mode, maxChars }] },
  });

  it('keep redacts and keeps text', () => {
    expect(
      redactOne(policyFor('keep'), { 'gen_ai.prompt.0.content': prompt }).attributes[
        'gen_ai.prompt.0.content'
      ],
    ).toBe(redactedPrompt);
  });
  it('drop removes content attributes and events', () => {
    const span = makeSpan({ 'input.value': prompt, 'gen_ai.request.model': 'gpt-4o' });
    span.events = [
      { name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': prompt } },
      { name: 'exception', attributes: { 'exception.message': 'boom' } },
    ];
    createRedactor({ policy: policyFor('drop'), pseudonymSecret: SECRET }).redactSpan(span);
    expect(span.attributes).toEqual({ 'gen_ai.request.model': 'gpt-4o' });
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });
  it('hash stores sha256 of the redacted text', () => {
    const span = redactOne(policyFor('hash'), { 'ai.response.text': prompt });
    expect(span.attributes['ai.response.text']).toBe(hashContent(redactedPrompt));
    expect(String(span.attributes['ai.response.text'])).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  it('truncate cuts after redaction', () => {
    const span = redactOne(policyFor('truncate', 20), { 'gen_ai.tool.call.arguments': prompt });
    expect(span.attributes['gen_ai.tool.call.arguments']).toBe(redactedPrompt.slice(0, 20));
  });
  it('most specific rule wins', () => {
    const policy: Partial<RedactionPolicy> = {
      content: {
        default: { mode: 'keep' },
        rules: [
          { environment: 'production', mode: 'hash' },
          { service: 'checkout', environment: 'production', mode: 'drop' },
          { service: 'checkout', mode: 'keep' },
        ],
      },
    };
    expect(redactOne(policy, { 'input.value': prompt }).attributes['input.value']).toBeUndefined();
  });
});

describe('pseudonyms', () => {
  it('are stable for one secret', () => {
    expect(createPseudonymizer(SECRET).pseudonymize('u-1')).toBe(
      createPseudonymizer(SECRET).pseudonymize('u-1'),
    );
  });
  it('differ with another secret', () => {
    expect(createPseudonymizer(SECRET).pseudonymize('u-1')).not.toBe(
      createPseudonymizer('another-secret-0123456789').pseudonymize('u-1'),
    );
  });
  it('apply to userId and user-id keys', () => {
    const span = makeSpan({ 'user.id': 'u-1' });
    span.userId = 'u-1';
    createRedactor({ pseudonymSecret: SECRET }).redactSpan(span);
    const expected = createPseudonymizer(SECRET).pseudonymize('u-1');
    expect(span.userId).toBe(expected);
    expect(span.attributes['user.id']).toBe(expected);
  });
});

describe('stats', () => {
  it('counts per detector and service', () => {
    const redactor = createRedactor({ pseudonymSecret: SECRET });
    redactor.redactSpan(makeSpan({ a: 'x@example.com y@example.com' }));
    const stats = redactor.stats();
    expect(stats.byService.checkout!.byDetector.email).toBe(2);
    expect(stats.totals.spans).toBe(1);
  });
});
