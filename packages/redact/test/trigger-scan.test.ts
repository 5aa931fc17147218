import { describe, expect, it } from 'vitest';
import { BUILTIN_DETECTORS } from '../src/detectors/builtin.ts';
import type { Detector } from '../src/detectors/detector.ts';
import { createMatchPrefilter } from '../src/match-prefilter.ts';
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
  '2026-09-12',
  '09-12',
  '12:30:45',
  'A-1042',
  '+1 2',
  '0 1',
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

/** Prose around `text` that makes it a long text, which takes the `indexOf` path of the prefilters. */
function padToLong(text: string): string {
  const prose = 'The assistant answered the question about the parcel. ';
  return `${prose.repeat(3)}${text} ${prose.repeat(3)}`;
}

describe('prefilter', () => {
  const prefilter = createMatchPrefilter(BUILTIN_DETECTORS);
  const reference = createTextScanner([], BUILTIN_DETECTORS.map(wholeTextVersion));

  it('passes every text the detectors change, short and long', () => {
    const random = randomSource(20261204);
    const missed: string[] = [];
    let changed = 0;
    for (let i = 0; i < 3000; i++) {
      const short = generate(random, 1 + Math.floor(random() * 8));
      for (const text of [short, padToLong(short)]) {
        if (reference.scan(text, {}) === text) continue;
        changed++;
        if (!prefilter(text)) missed.push(text);
      }
    }
    expect(missed).toEqual([]);
    expect(changed).toBeGreaterThan(2000);
  });

  it('has long-text tests that pass whatever the source matches', () => {
    const random = randomSource(7);
    for (const detector of BUILTIN_DETECTORS) {
      const { source, test } = detector.prefilter!;
      if (test === undefined) continue;
      const pattern = new RegExp(source);
      for (let i = 0; i < 1500; i++) {
        const text = padToLong(generate(random, 1 + Math.floor(random() * 8)));
        if (pattern.test(text)) expect(test(text), `${detector.id}: ${text}`).toBe(true);
      }
    }
  });

  it('rejects prose, JSON structure and order numbers', () => {
    const text = padToLong(
      JSON.stringify({ role: 'tool', id: 'call_7', eta: '2026-09-12', order: 'A-1042', items: 3 }),
    );
    expect(prefilter(text)).toBe(false);
    expect(prefilter('gpt-4o-mini')).toBe(false);
  });

  it('passes each kind of finding in a long text', () => {
    const findings = [
      'x@example.com',
      'sk-abcdefghijklmnopqrstuvwx',
      'Authorization: Bearer abcdefgh',
      'password=hunter22',
      '4111 1111 1111 1111',
      '078-05-1120',
      '+44 20 7946 0958',
      '(415) 555-2671',
      '020 7946 0958',
      '10.0.0.1',
      'fe80::1',
      'DE89 3704 0044 0532 0130 00',
      'eyJhbGciOiJIUzI1NiJ9',
      'AKIAABCDEFGHIJKLMNOP',
      'https://hooks.slack.com/services/T000/B000/XXXX',
    ];
    for (const finding of findings) expect(prefilter(padToLong(finding)), finding).toBe(true);
  });
});
