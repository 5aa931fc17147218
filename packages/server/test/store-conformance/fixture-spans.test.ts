import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeSpans } from '../../src/enrich/attribution.ts';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { normalizeTraceRequest } from '../../src/semconv/normalize.ts';
import { GROUP_BY_VALUES, type Store } from '../../src/store/store.ts';
import { holdsSpans, loadFixture } from '../semconv/loaders/load-fixture.ts';
import { openChdb, openDuckDb, type OpenedStore } from './open-stores.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES_DIR = join(REPOSITORY_ROOT, '..', 'shared', 'fixtures');
const fixturesPresent = existsSync(FIXTURES_DIR);
if (!fixturesPresent) {
  console.warn(`Skipping store fixture conformance tests: ${FIXTURES_DIR} does not exist.`);
}
const NANOS_PER_MS = 1_000_000n;

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listFiles(path);
    return entry.name.endsWith('.json') && holdsSpans(path) ? [path] : [];
  });
}

/** Normalizes every fixture recorded from a real instrumentation library into canonical spans. */
function fixtureSpans(): CanonicalSpan[][] {
  return listFiles(FIXTURES_DIR).map((path) => {
    const spans = normalizeTraceRequest(loadFixture(path));
    attributeSpans(spans);
    return spans;
  });
}

let duck: OpenedStore;
let click: OpenedStore;
let traceIds: string[] = [];
let window = { projectId: 'default', fromUnixMs: 0, toUnixMs: 1 };

async function both<T>(call: (store: Store) => Promise<T>): Promise<[T, T]> {
  return [await call(duck.store), await call(click.store)];
}

describe.skipIf(!fixturesPresent)('store conformance on recorded fixtures', () => {
  beforeAll(async () => {
    duck = await openDuckDb();
    click = await openChdb('fixtures');
    for (const store of [duck.store, click.store]) {
      for (const spans of fixtureSpans()) await store.writeSpans(spans);
    }
    const all = fixtureSpans().flat();
    traceIds = [...new Set(all.map((span) => span.traceId))];
    const starts = all.map((span) => Number(span.startTimeUnixNano / NANOS_PER_MS));
    window = {
      projectId: all[0]?.projectId ?? 'default',
      fromUnixMs: Math.min(...starts),
      toUnixMs: Math.max(...starts) + 1,
    };
  }, 240_000);

  afterAll(async () => {
    await duck?.close();
    await click?.close();
  });

  it('stores every fixture trace identically', async () => {
    expect(traceIds.length).toBeGreaterThan(5);
    for (const traceId of traceIds) {
      const [expected, actual] = await both((store) => store.getTrace(window.projectId, traceId));
      expect(actual, traceId).toEqual(expected);
      expect(actual.length).toBeGreaterThan(0);
    }
  });

  it('summarizes the fixtures identically', async () => {
    for (const groupBy of GROUP_BY_VALUES) {
      const [expected, actual] = await both((store) =>
        store.summary({ ...window, filters: {} }, groupBy),
      );
      expect(actual, groupBy).toEqual(expected);
    }
    const [counts, clickCounts] = await both((store) => store.countSpans());
    expect(clickCounts).toBe(counts);
  });
});
