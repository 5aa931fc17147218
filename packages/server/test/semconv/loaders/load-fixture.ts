import { readFileSync } from 'node:fs';
import { decodeTraceRequestJson } from '../../../src/ingest/otlp/index.ts';
import type { OtlpTraceRequest } from '../../../src/ingest/otlp/otlp-model.ts';
import { loadLangfuseExport } from './langfuse-export.ts';
import { loadReadableSpans } from './readable-spans.ts';
import { loadSpanAttributes } from './span-attrs.ts';
import { loadVercelSnapshot } from './vercel-snapshot.ts';

/** Loaders by file-name suffix; the suffix names the container format. */
const LOADERS: ReadonlyArray<[string, (text: string) => OtlpTraceRequest]> = [
  ['.otlp.json', (text) => decodeTraceRequestJson(text).request],
  ['.readable-spans.json', loadReadableSpans],
  ['.span-attrs.json', loadSpanAttributes],
  ['.snapshot.json', loadVercelSnapshot],
  ['.langfuse-export.json', loadLangfuseExport],
];

/** True for a fixture file that contains spans (attribute inventories contain only names). */
export function holdsSpans(path: string): boolean {
  return LOADERS.some(([suffix]) => path.endsWith(suffix));
}

/** Reads a fixture file into the decoded OTLP model, choosing the loader by suffix. */
export function loadFixture(path: string): OtlpTraceRequest {
  const loader = LOADERS.find(([suffix]) => path.endsWith(suffix));
  if (loader === undefined) {
    throw new Error(
      `No loader for fixture ${path}: expected one of ${LOADERS.map(([s]) => s).join(', ')}`,
    );
  }
  return loader[1](readFileSync(path, 'utf8'));
}
