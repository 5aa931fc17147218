import { describe, expect, it } from 'vitest';
import { BUILTIN_DETECTORS } from '../src/detectors/builtin.ts';
import type { Detector } from '../src/detectors/detector.ts';
import { createTextScanner } from '../src/text-scanner.ts';
import { scanTriggers } from '../src/text-triggers.ts';
import { NEGATIVES, POSITIVES } from './corpus.ts';

/** The same detector scanning the whole text with a global pattern, as before the trigger scan existed. */
function wholeTextVersion(detector: Detector): Detector {
  const flags = detector.pattern.flags.replace('y', '') + 'g';
  return {
    ...detector,
    candidates: () => null,
    pattern: new RegExp(detector.pattern.source, flags),
  };
}

/** A small deterministic generator (mulberry32), so a failure repeats. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  ...POSITIVES.map((item) => item.text),
  ...NEGATIVES.map((item) => item.text),
  '4111',
  '1111',
  '+1',
  '(415)',
  '555-2671',
  '0',
  '020',
  '::',
  ':',
  'fe80',
  'db8',
  '1.2',
  '.3',
  '@',
  'a.b',
  'example.com',
  'sk-',
  'sk-ant-',
  'AKIA',
  'ghp_',
  'eyJ',
  'Bearer ',
  'bearer',
  'password=',
  'API_KEY: ',
  'secret',
  'DE89',
  '3704',
  'GB82',
  'WEST',
  '078-05-1120',
  '-',
  '_',
  '"',
  "'",
  ' ',
  '.',
  ',',
  '\n',
  'x',
  'Z',
  '7',
  '9',
  'é',
  '🙂',
  'whsec_',
  'xoxb-',
  'https://hooks.slack.com/services/',
  'X-API-KEY: ',
  '"password" : ',
  "'secret'=",
  'client-secret:',
  'my-api_key=',
  '\t=',
  'pwd:',
  'Authorization: Bearer ',
  'bearer\t',
  'eyJhbGciOiJIUzI1NiJ9',
  'AIzaSy',
  'ASIA',
  'J',
  'ey',
  '日本',
  'ß',
  'abcdefghijklmnopqrstuvwxyz0123456789',
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  '=',
  ':',
  '::1',
  '1:2:3:4',
];

function generate(random: () => number, parts: number): string {
  let text = '';
  for (let i = 0; i < parts; i++) {
    text += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!;
    if (random() < 0.5) text += ' ';
  }
  return text;
}

describe('trigger scan', () => {
  const fast = createTextScanner(BUILTIN_DETECTORS, []);
  const reference = createTextScanner([], BUILTIN_DETECTORS.map(wholeTextVersion));

  it('matches whole-text scans on the corpus', () => {
    for (const { text } of [...POSITIVES, ...NEGATIVES]) {
      expect(fast.scan(text, {}), text).toBe(reference.scan(text, {}));
    }
  });

  it('matches whole-text scans on 4000 generated strings', () => {
    const random = randomSource(20260912);
    let changed = 0;
    for (let i = 0; i < 4000; i++) {
      const text = generate(random, 1 + Math.floor(random() * 12));
      const fastCounts = {};
      const referenceCounts = {};
      const output = fast.scan(text, fastCounts);
      expect(output, JSON.stringify(text)).toBe(reference.scan(text, referenceCounts));
      expect(fastCounts, JSON.stringify(text)).toEqual(referenceCounts);
      if (output !== text) changed++;
    }
    // Most generated strings contain a positive fragment, so the comparison covers replacements.
    expect(changed).toBeGreaterThan(2000);
  });

  it('records digit runs as start and end pairs', () => {
    const triggers = scanTriggers('a 12.5 and 7');
    expect(triggers.digitRuns).toEqual([2, 4, 5, 6, 11, 12]);
    expect(triggers.digitCount).toBe(4);
    expect(triggers.hasDottedDigits).toBe(true);
  });

  it('finds secret and credential starts at token starts only', () => {
    const text = 'use sk-abc, xsk-def, Password=1 and mypassword=2';
    const triggers = scanTriggers(text);
    expect(triggers.secretStarts).toEqual([text.indexOf('sk-abc')]);
    expect(triggers.credentialStarts).toEqual([text.indexOf('Password')]);
  });

  it('finds colons after hex digits and at signs', () => {
    const triggers = scanTriggers('fe80::1 at a@b');
    expect(triggers.hexColons).toEqual([4, 5]);
    expect(triggers.atSigns).toEqual([12]);
  });
});
