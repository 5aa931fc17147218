import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import type { DialectReader } from './dialect-fields.ts';
import { isLangfuse, readLangfuse } from './langfuse.ts';
import { isMlflow, readMlflow } from './mlflow.ts';
import { isOpenInference, readOpenInference } from './openinference.ts';
import { isLiteLlm, readLiteLlm } from './litellm.ts';
import { isOpenLlmetry, readOpenLlmetry } from './openllmetry.ts';
import { isLegacyOtelGenAi, isOtelGenAi, readOtelGenAi } from './otel-genai.ts';
import { isVercelAi, readVercelAi } from './vercel-ai.ts';

interface DialectEntry {
  name: string;
  detect: (attributes: Attributes) => boolean;
  read: DialectReader;
}

/**
 * Dialects in precedence order. The first one present names the span's dialect and
 * fills its fields first; the others present fill what it left empty. Explicit
 * span-kind dialects (Langfuse, OpenInference, MLflow) come before the AI SDK,
 * whose `do*` spans also carry `gen_ai.*`, and the OTel GenAI conventions come last
 * because every other family writes some `gen_ai.*` attributes too.
 */
const DIALECTS: readonly DialectEntry[] = [
  { name: 'langfuse', detect: isLangfuse, read: readLangfuse },
  { name: 'openinference', detect: isOpenInference, read: readOpenInference },
  { name: 'mlflow', detect: isMlflow, read: readMlflow },
  { name: 'vercel_ai', detect: isVercelAi, read: readVercelAi },
  { name: 'litellm', detect: isLiteLlm, read: readLiteLlm },
  { name: 'openllmetry', detect: isOpenLlmetry, read: readOpenLlmetry },
  { name: 'otel_genai', detect: isOtelGenAi, read: readOtelGenAi },
];

/** The dialect name of a span without any GenAI attributes. */
export const NO_DIALECT = 'none';

/** Returns the dialects present on a span in precedence order, testing one marker key at a time. */
export function detectDialects(attributes: Attributes): DialectEntry[] {
  const present: DialectEntry[] = [];
  for (const dialect of DIALECTS) {
    if (dialect.detect(attributes)) present.push(dialect);
  }
  return present;
}

/** Returns the name stored in `CanonicalSpan.dialect`, `otel_genai_legacy` for OTel GenAI before v1.37. */
export function dialectName(present: readonly DialectEntry[], attributes: Attributes): string {
  const primary = present[0];
  if (primary === undefined) return NO_DIALECT;
  if (primary.name === 'otel_genai' && isLegacyOtelGenAi(attributes)) return 'otel_genai_legacy';
  return primary.name;
}
