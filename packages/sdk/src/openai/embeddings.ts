import type { CallRequest, CallResult } from '../telemetry/llm-call.ts';
import type { CallInterpreter } from '../clients/run-instrumented.ts';
import { createRequestAttributes } from '../clients/request-attributes.ts';
import { openAiUsage } from './openai-usage.ts';

interface EmbeddingsParams {
  model?: string;
  dimensions?: number;
  encoding_format?: string;
}

/** Creates the interpreter of `embeddings.create`. */
export function embeddingsInterpreter(providerName: string): CallInterpreter {
  return {
    describe: (params, client) =>
      describeEmbeddings(params as EmbeddingsParams, client, providerName),
    fromResponse: (response) => embeddingsResult(response as { model?: string; usage?: unknown }),
    createAccumulator: () => {
      throw new Error('embeddings responses are never streamed');
    },
  };
}

function describeEmbeddings(
  params: EmbeddingsParams,
  client: unknown,
  providerName: string,
): CallRequest {
  const attributes = createRequestAttributes((client as { baseURL?: unknown })?.baseURL);
  if (typeof params.dimensions === 'number')
    attributes['gen_ai.embeddings.dimension.count'] = params.dimensions;
  if (typeof params.encoding_format === 'string')
    attributes['gen_ai.request.encoding_formats'] = [params.encoding_format];
  return {
    operation: 'embeddings',
    provider: providerName,
    requestModel: typeof params.model === 'string' ? params.model : undefined,
    attributes,
    streaming: false,
  };
}

function embeddingsResult(response: { model?: string; usage?: unknown }): CallResult {
  const usage = openAiUsage(response?.usage);
  return {
    responseModel: response?.model,
    usage: usage === undefined ? undefined : { inputTokens: usage.inputTokens },
  };
}
