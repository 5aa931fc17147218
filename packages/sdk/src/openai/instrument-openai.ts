import { FoghornConfigError } from '../config/config-error.ts';
import { instrumentResource } from '../clients/instrument-resource.ts';
import { chatCompletionsInterpreter } from './chat-completions.ts';
import { embeddingsInterpreter } from './embeddings.ts';
import { responsesInterpreter } from './responses.ts';

export interface InstrumentClientOptions {
  /** The `gen_ai.provider.name` to record, for OpenAI-compatible APIs of other vendors. Default `openai` or `anthropic`. */
  providerName?: string;
}

interface OpenAiClientShape {
  chat?: { completions?: object };
  responses?: object;
  embeddings?: object;
}

/**
 * Instruments one `openai` client instance: `chat.completions.create`
 * (and the helpers built on it, such as `chat.completions.stream`),
 * `responses.create` and `embeddings.create`. Returns the same client.
 */
export function instrumentOpenAI<T extends object>(
  client: T,
  options: InstrumentClientOptions = {},
): T {
  const shape = client as OpenAiClientShape;
  if (typeof shape?.chat?.completions !== 'object') {
    throw new FoghornConfigError(
      'instrumentOpenAI() received an object without chat.completions; pass a client created with new OpenAI()',
    );
  }
  const provider = providerNameOf(options, 'openai');
  instrumentResource(
    shape.chat.completions,
    'create',
    chatCompletionsInterpreter(provider),
    client,
  );
  instrumentResource(shape.responses, 'create', responsesInterpreter(provider), client);
  instrumentResource(shape.embeddings, 'create', embeddingsInterpreter(provider), client);
  return client;
}

interface OpenAiModuleShape {
  Chat?: { Completions?: { prototype: object } };
  Responses?: { prototype: object };
  Embeddings?: { prototype: object };
  default?: OpenAiModuleShape;
}

/** Patches the resource classes of the `openai` module, so every client instance is instrumented. */
export function patchOpenAI(openAiModule: unknown): void {
  const exports = openAiModule as OpenAiModuleShape;
  const root = exports?.Chat === undefined ? exports?.default : exports;
  const patched = instrumentResource(
    root?.Chat?.Completions?.prototype,
    'create',
    chatCompletionsInterpreter('openai'),
    null,
  );
  if (!patched) {
    throw new FoghornConfigError(
      'init option "patch.openai" has no Chat.Completions class; pass the default export of the openai package',
    );
  }
  instrumentResource(root?.Responses?.prototype, 'create', responsesInterpreter('openai'), null);
  instrumentResource(root?.Embeddings?.prototype, 'create', embeddingsInterpreter('openai'), null);
}

export function providerNameOf(options: InstrumentClientOptions, fallback: string): string {
  const name = options.providerName;
  if (name === undefined) return fallback;
  if (typeof name !== 'string' || name === '') {
    throw new FoghornConfigError(
      `option "providerName" is ${JSON.stringify(name)}; expected a non-empty string such as "openai"`,
    );
  }
  return name;
}
