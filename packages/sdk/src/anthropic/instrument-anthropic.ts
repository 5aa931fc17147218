import { FoghornConfigError } from '../config/config-error.ts';
import { instrumentResource } from '../clients/instrument-resource.ts';
import { providerNameOf, type InstrumentClientOptions } from '../openai/instrument-openai.ts';
import { messagesInterpreter } from './messages-interpreter.ts';

/**
 * Turns off the client's own OpenTelemetry spans (`anthropic.messages.create`),
 * which `@anthropic-ai/sdk` 1.x records through the global tracer provider:
 * with them and the SDK's span, each call would count twice in Foghorn.
 * NOTE: this relies on the client's undocumented `_tracer` field, which also
 * disables its tool-runner spans; a client created with `openTelemetry: false`
 * needs nothing.
 */
function disableNativeSpans(client: unknown): void {
  const target = client as { _tracer?: unknown } | null;
  if (target !== null && typeof target === 'object' && target._tracer !== undefined)
    target._tracer = undefined;
}

/**
 * Instruments one `@anthropic-ai/sdk` client instance: `messages.create`,
 * streaming included, and `messages.stream()`, which calls it. Returns the same client.
 */
export function instrumentAnthropic<T extends object>(
  client: T,
  options: InstrumentClientOptions = {},
): T {
  const messages = (client as { messages?: unknown })?.messages;
  if (typeof messages !== 'object' || messages === null) {
    throw new FoghornConfigError(
      'instrumentAnthropic() received an object without messages; pass a client created with new Anthropic()',
    );
  }
  disableNativeSpans(client);
  instrumentResource(
    messages,
    'create',
    messagesInterpreter(providerNameOf(options, 'anthropic')),
    client,
  );
  return client;
}

interface AnthropicModuleShape {
  Messages?: { prototype: object };
  default?: AnthropicModuleShape;
}

/** Patches the `Messages` class of the `@anthropic-ai/sdk` module, so every client instance is instrumented. */
export function patchAnthropic(anthropicModule: unknown): void {
  const exports = anthropicModule as AnthropicModuleShape;
  const root = exports?.Messages === undefined ? exports?.default : exports;
  const patched = instrumentResource(
    root?.Messages?.prototype,
    'create',
    messagesInterpreter('anthropic'),
    null,
    disableNativeSpans,
  );
  if (!patched) {
    throw new FoghornConfigError(
      'init option "patch.anthropic" has no Messages class; pass the default export of @anthropic-ai/sdk',
    );
  }
}
