import { lookupTable } from '../lookup-table.ts';

/**
 * Provider values of every dialect, mapped to the `gen_ai.provider.name`
 * vocabulary of the OTel GenAI conventions v1.37+. Keys are lowercase.
 */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = lookupTable({
  'az.ai.openai': 'azure.ai.openai',
  'az.ai.inference': 'azure.ai.inference',
  azure: 'azure.ai.openai',
  azure_openai: 'azure.ai.openai',
  vertex_ai: 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  vertex: 'gcp.vertex_ai',
  'google-vertex': 'gcp.vertex_ai',
  gemini: 'gcp.gemini',
  'google-gla': 'gcp.gemini',
  'google.generative-ai': 'gcp.gemini',
  google: 'gcp.gen_ai',
  xai: 'x_ai',
  bedrock: 'aws.bedrock',
  'amazon-bedrock': 'aws.bedrock',
  amazon: 'aws.bedrock',
  aws: 'aws.bedrock',
  mistralai: 'mistral_ai',
  mistral: 'mistral_ai',
  watsonx: 'ibm.watsonx.ai',
  moonshot: 'moonshot_ai',
  together: 'together_ai',
  togetherai: 'together_ai',
  huggingface: 'hugging_face',
  alephalpha: 'aleph_alpha',
});

/** Second segments of Vercel AI SDK `ai.model.provider` values that name an API, not a host. */
const API_SUFFIXES: ReadonlySet<string> = new Set([
  'chat',
  'responses',
  'completion',
  'embedding',
  'messages',
  'image',
  'transcription',
  'speech',
]);

/**
 * Normalizes a provider value: OTel enum values old and new, OpenLLMetry's
 * capitalised names (`OpenAI`, `Anthropic`, `AWS`), OpenInference `llm.provider`
 * values, and Vercel AI SDK `provider.api` strings such as `openai.chat` or
 * `anthropic.messages`, which keep only the provider part.
 */
export function normalizeProvider(raw: string | null): string | null {
  if (raw === null) return null;
  const lower = raw.trim().toLowerCase();
  if (lower === '') return null;
  const alias = PROVIDER_ALIASES[lower];
  if (alias !== undefined) return alias;

  const dot = lower.indexOf('.');
  if (dot <= 0) return lower;
  return normalizeProviderApi(lower, dot);
}

function normalizeProviderApi(lower: string, dot: number): string {
  const head = lower.slice(0, dot);
  const rest = lower.slice(dot + 1);
  if (head === 'google' && rest.startsWith('vertex')) return 'gcp.vertex_ai';
  if (head === 'vertex') return 'gcp.vertex_ai';
  if (API_SUFFIXES.has(rest)) return PROVIDER_ALIASES[head] ?? head;
  return lower;
}
