import { lookupTable } from '../lookup-table.ts';

/** Model names after each normalization step, most specific first, and the provider the name implies. */
export interface ModelNameCandidates {
  names: string[];
  /** A provider implied by the name itself (`openai/…`, a Bedrock id or ARN), or null. */
  providerHint: string | null;
}

/** Bedrock cross-region inference profile prefixes. */
const BEDROCK_REGION_PREFIX = /^(us|eu|apac|global|us-gov|jp|au|ca)\./;
/** Bedrock model ids start with the model vendor and a dot: `anthropic.claude-…`, `meta.llama3-…`. */
const BEDROCK_VENDOR_PREFIX =
  /^(anthropic|meta|amazon|cohere|mistral|ai21|deepseek|openai|qwen|writer)\./;
/** Bedrock version suffixes: `-v1:0`, `-v2:0`, `-1:0`. */
const BEDROCK_VERSION_SUFFIX = /-v?\d+:\d+$/;
/**
 * Snapshot and version suffixes: -2024-08-06, -20241022, @20241022, -latest, -v2,
 * -08-2024 (Cohere), -001, -0613, -2411 (Mistral), -preview, -preview-06-05, -exp.
 */
const SNAPSHOT_SUFFIX =
  /(-\d{4}-\d{2}-\d{2}|[-@]\d{8}|-latest|-v\d+|-\d{2}-\d{4}|-\d{3,4}|-preview(-\d{2}-\d{2})?|-exp)$/;
const MAX_SUFFIX_STRIPS = 4;

/** Path segments that name a provider, as gateways such as LiteLLM write them (`azure/my-deployment`). */
const PATH_PROVIDER: Readonly<Record<string, string>> = lookupTable({
  openai: 'openai',
  azure: 'azure.ai.openai',
  azure_ai: 'azure.ai.openai',
  anthropic: 'anthropic',
  bedrock: 'aws.bedrock',
  bedrock_converse: 'aws.bedrock',
  vertex_ai: 'gcp.vertex_ai',
  gemini: 'gcp.gemini',
  google: 'gcp.gemini',
  mistral: 'mistral_ai',
  cohere: 'cohere',
  groq: 'groq',
  together_ai: 'together_ai',
  fireworks: 'fireworks',
  fireworks_ai: 'fireworks',
  deepseek: 'deepseek',
});

/**
 * Lists the names to look up for a model as sent by an application: lowercased,
 * then without an ARN or path prefix, Bedrock region prefix and version suffix,
 * and dated snapshot suffixes, one step at a time. A fine-tuned `ft:BASE:org::id`
 * yields `ft:BASE` (and its snapshots) first, then the base model's names.
 */
export function modelNameCandidates(model: string): ModelNameCandidates {
  const names: string[] = [];
  let providerHint: string | null = null;
  let name = model.trim().toLowerCase();

  if (name.startsWith('arn:')) {
    providerHint = 'aws.bedrock';
    name = name.slice(name.lastIndexOf('/') + 1);
  }
  if (name.startsWith('ft:')) {
    const base = name.split(':')[1] ?? '';
    addNameChain(names, `ft:${base}`);
    name = base;
  }
  const path = name.split('/');
  if (path.length > 1) providerHint ??= PATH_PROVIDER[path[0] ?? ''] ?? null;
  for (let i = 0; i < path.length; i++) push(names, path.slice(i).join('/'));
  name = path[path.length - 1] ?? name;

  if (BEDROCK_REGION_PREFIX.test(name) || BEDROCK_VENDOR_PREFIX.test(name))
    providerHint ??= 'aws.bedrock';
  name = name.replace(BEDROCK_REGION_PREFIX, '');
  addNameChain(names, name);
  const vendorMatch = BEDROCK_VENDOR_PREFIX.exec(name);
  if (vendorMatch) addNameChain(names, name.slice(vendorMatch[0].length));
  return { names, providerHint };
}

/** Adds the name, then the name without its Bedrock version and each snapshot suffix in turn. */
function addNameChain(names: string[], start: string): void {
  let name = start;
  push(names, name);
  name = name.replace(BEDROCK_VERSION_SUFFIX, '');
  push(names, name);
  for (let i = 0; i < MAX_SUFFIX_STRIPS && SNAPSHOT_SUFFIX.test(name); i++) {
    name = name.replace(SNAPSHOT_SUFFIX, '');
    push(names, name);
  }
}

function push(names: string[], name: string): void {
  if (name !== '' && !names.includes(name)) names.push(name);
}
