import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { attributeSpans } from '../../src/enrich/attribution.ts';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { normalizeTraceRequest } from '../../src/semconv/normalize.ts';
import { USAGE_ATTRIBUTE_KEYS } from '../../src/semconv/usage-keys.ts';
import { EXPECTED_FIXTURES } from '../fixtures/expected-fixtures.ts';
import type { ExpectedSpan } from '../fixtures/expected-span.ts';
import { holdsSpans, loadFixture } from './loaders/load-fixture.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES_DIR = join(REPOSITORY_ROOT, '..', 'shared', 'fixtures');
const fixturesPresent = existsSync(FIXTURES_DIR);
if (!fixturesPresent) {
  console.warn(`Skipping semconv fixture tests: ${FIXTURES_DIR} does not exist.`);
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listFiles(path);
    return entry.name.endsWith('.json') ? [path] : [];
  });
}

function normalizeFixture(file: string): CanonicalSpan[] {
  const spans = normalizeTraceRequest(loadFixture(join(FIXTURES_DIR, file)));
  attributeSpans(spans);
  return spans;
}

/** Picks the compared fields of a normalized span, shaped like the expectation. */
function actualFields(span: CanonicalSpan): ExpectedSpan {
  return {
    name: span.name,
    dialect: span.dialect,
    operation: span.operation,
    spanType: span.spanType,
    isLlmCall: span.isLlmCall,
    provider: span.provider,
    requestModel: span.requestModel,
    responseModel: span.responseModel,
    usage: span.usage,
    timeToFirstTokenMs: span.timeToFirstTokenMs,
    errorType: span.errorType,
    tenant: span.tenant,
    userId: span.userId,
    sessionId: span.sessionId,
    feature: span.feature,
    environment: span.environment,
  };
}

describe.skipIf(!fixturesPresent)('normalization of the recorded fixtures', () => {
  const files = fixturesPresent ? listFiles(FIXTURES_DIR).filter(holdsSpans) : [];
  const expectedFiles = EXPECTED_FIXTURES.map((fixture) => fixture.file);

  it('has expected values for every span-holding file', () => {
    const relativeFiles = files.map((path) => relative(FIXTURES_DIR, path)).sort();
    expect(relativeFiles).toEqual([...expectedFiles].sort());
  });

  describe.each(EXPECTED_FIXTURES.map((fixture) => [fixture.file, fixture] as const))(
    '%s',
    (_file, fixture) => {
      const spans = fixturesPresent ? normalizeFixture(fixture.file) : [];

      it('yields one canonical span per recorded span', () => {
        expect(spans.map((span) => span.name)).toEqual(fixture.spans.map((span) => span.name));
      });

      it.each(fixture.spans.map((expected, index) => [index, expected.name, expected] as const))(
        'span %i %s',
        (index, _name, expected) => {
          const actual = actualFields(spans[index] as CanonicalSpan);
          const { timeToFirstTokenMs: actualTtftMs, ...actualRest } = actual;
          const { timeToFirstTokenMs: expectedTtftMs, ...expectedRest } = expected;
          expect(actualRest).toEqual(expectedRest);
          if (expectedTtftMs === null) expect(actualTtftMs).toBeNull();
          else expect(actualTtftMs).toBeCloseTo(expectedTtftMs, 6);
        },
      );
    },
  );
});

describe.skipIf(!fixturesPresent)('usage attribute inventories', () => {
  const inventories = fixturesPresent
    ? listFiles(join(FIXTURES_DIR, 'semconv-attribute-inventories'))
    : [];

  it.each(inventories.map((path) => [relative(FIXTURES_DIR, path), path]))(
    '%s lists only usage keys the readers know',
    (_name, path) => {
      const names = collectSpanAttributeNames(JSON.parse(readFileSync(path, 'utf8')));
      const usageNames = [...names].filter((name) => name.startsWith('gen_ai.usage.'));
      expect(usageNames.length).toBeGreaterThan(0);
      expect(usageNames.filter((name) => !USAGE_ATTRIBUTE_KEYS.has(name))).toEqual([]);
    },
  );
});

/** Attribute names listed for spans and events (not metrics) in an inventory. */
function collectSpanAttributeNames(inventory: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  for (const scenario of Object.values(inventory)) {
    const { spans, events } = scenario as { spans?: unknown; events?: unknown };
    for (const group of [spans, events]) {
      if (group === null || typeof group !== 'object') continue;
      for (const list of Object.values(group)) {
        if (Array.isArray(list)) for (const name of list) names.add(String(name));
      }
    }
  }
  return names;
}
