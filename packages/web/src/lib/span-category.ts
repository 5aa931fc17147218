import type { TraceSpan } from '../api/types.ts';

/** The kind of a span that the waterfall marks with its own color and icon. */
export type SpanCategory = 'llm' | 'embedding' | 'retrieval' | 'tool' | 'agent' | 'chain' | 'other';

export interface CategoryStyle {
  label: string;
  /** A text glyph, so the mark shows without images or icon fonts. */
  icon: string;
  color: string;
}

export const CATEGORY_STYLES: Readonly<Record<SpanCategory, CategoryStyle>> = {
  llm: { label: 'LLM', icon: '✦', color: '#d2a8ff' },
  embedding: { label: 'Embedding', icon: '≋', color: '#a5d6ff' },
  retrieval: { label: 'Retrieval', icon: '⌕', color: '#3fb950' },
  tool: { label: 'Tool', icon: '⚒', color: '#f0883e' },
  agent: { label: 'Agent', icon: '◉', color: '#e3b341' },
  chain: { label: 'Chain', icon: '⛓', color: '#56d4dd' },
  other: { label: 'Span', icon: '•', color: '#8b949e' },
};

const KNOWN = new Set<string>(Object.keys(CATEGORY_STYLES));

/** Reads the category from the canonical span type, falling back to the operation. */
export function spanCategory(
  span: Pick<TraceSpan, 'spanType' | 'operation' | 'isLlmCall'>,
): SpanCategory {
  if (KNOWN.has(span.spanType) && span.spanType !== 'other') return span.spanType as SpanCategory;
  switch (span.operation) {
    case 'embeddings':
      return 'embedding';
    case 'retrieval':
    case 'rerank':
      return 'retrieval';
    case 'execute_tool':
      return 'tool';
    case 'invoke_agent':
    case 'create_agent':
      return 'agent';
    case 'invoke_workflow':
      return 'chain';
    default:
      return span.isLlmCall ? 'llm' : 'other';
  }
}
