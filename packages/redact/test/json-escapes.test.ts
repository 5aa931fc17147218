import { describe, expect, it } from 'vitest';
import { createRedactor } from '../src/index.ts';

/** Values right after a JSON string escape, where the raw text puts a letter before them. */
const CASES: [value: string, marker: string][] = [
  ['4111 1111 1111 1111', 'payment_card'],
  ['203.0.113.9', 'ipv4'],
  ['+44 20 7946 0958', 'phone'],
  ['sk-proj-AbcdefghijKLMNOPqrstuv0123', 'openai_key'],
  ['password=hunter22', 'credential'],
  ['078-05-1120', 'us_ssn'],
];

describe('JSON string escapes', () => {
  const redactor = createRedactor({ policy: { pseudonymizeUserIds: false } });

  for (const [value, marker] of CASES) {
    it(`finds ${marker} after a newline escape`, () => {
      const text = JSON.stringify([{ role: 'user', content: `first line\n${value}` }]);
      const output = redactor.redactText(text);
      expect(output).not.toContain(value);
      expect(JSON.parse(output)[0].content).toContain(`[REDACTED:${marker}]`);
    });
  }

  it('finds a card after a unicode escape', () => {
    const text = '{"content":"quote \\u201c4111 1111 1111 1111"}';
    expect(JSON.parse(redactor.redactText(text)).content).toBe(
      'quote \u201c[REDACTED:payment_card]',
    );
  });

  it('leaves escaped text without triggers unparsed', () => {
    const text = '{"content":"line one\\nline two"}';
    expect(redactor.redactText(text)).toBe(text);
  });
});
