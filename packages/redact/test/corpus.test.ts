import { describe, expect, it } from 'vitest';
import { createRedactor } from '../src/index.ts';
import { NEGATIVES, POSITIVES } from './corpus.ts';

const MARKER = /\[REDACTED:([a-z0-9_]+)\]/g;

function markersIn(text: string): string[] {
  return [...text.matchAll(MARKER)].map((match) => match[1]!);
}

describe('labelled corpus', () => {
  const redactor = createRedactor({ policy: { pseudonymizeUserIds: false } });

  it('has at least 150 strings', () => {
    expect(POSITIVES.length + NEGATIVES.length).toBeGreaterThanOrEqual(150);
  });

  it('finds every positive (100 % recall)', () => {
    const missed: string[] = [];
    for (const { text, expected } of POSITIVES) {
      const found = markersIn(redactor.redactText(text));
      for (const name of expected) if (!found.includes(name)) missed.push(`${name}: ${text}`);
    }
    const expectedTotal = POSITIVES.reduce((sum, item) => sum + item.expected.length, 0);
    const recall = (expectedTotal - missed.length) / expectedTotal;
    console.log(
      `recall ${(recall * 100).toFixed(1)} % (${expectedTotal - missed.length}/${expectedTotal})`,
    );
    expect(missed).toEqual([]);
  });

  it('keeps negatives (false positives at most 2 %)', () => {
    const flagged: string[] = [];
    for (const { text } of NEGATIVES) {
      const output = redactor.redactText(text);
      if (output !== text) flagged.push(`${text} -> ${output}`);
    }
    const rate = flagged.length / NEGATIVES.length;
    console.log(
      `false-positive rate ${(rate * 100).toFixed(1)} % (${flagged.length}/${NEGATIVES.length})` +
        (flagged.length > 0 ? `:\n  ${flagged.join('\n  ')}` : ''),
    );
    expect(rate).toBeLessThanOrEqual(0.02);
  });

  it('removes the secret text of each positive', () => {
    for (const { text } of POSITIVES) {
      const output = redactor.redactText(text);
      expect(output, text).not.toBe(text);
    }
  });
});
