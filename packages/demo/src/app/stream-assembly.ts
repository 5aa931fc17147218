import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatResult, TokenCounts, ToolCallRequest } from './llm-gateway.ts';

/** A chat result built up from streamed chunks. */
export interface StreamAssembly {
  result: Pick<ChatResult, 'id' | 'responseModel' | 'finishReasons' | 'content' | 'usage'>;
  toolCalls: Map<number, ToolCallRequest>;
  firstChunkMs: number | null;
}

export function createAssembly(): StreamAssembly {
  return {
    result: { id: '', responseModel: '', finishReasons: [], content: null, usage: null },
    toolCalls: new Map(),
    firstChunkMs: null,
  };
}

export function addChunk(assembly: StreamAssembly, chunk: ChatCompletionChunk): void {
  const result = assembly.result;
  result.id = chunk.id;
  result.responseModel = chunk.model;
  if (chunk.usage) result.usage = tokenCounts(chunk.usage);
  for (const choice of chunk.choices) {
    if (choice.delta.content) result.content = (result.content ?? '') + choice.delta.content;
    if (choice.finish_reason) result.finishReasons.push(choice.finish_reason);
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = assembly.toolCalls.get(delta.index) ?? { id: '', name: '', argumentsJson: '' };
      call.id = delta.id ?? call.id;
      call.name += delta.function?.name ?? '';
      call.argumentsJson += delta.function?.arguments ?? '';
      assembly.toolCalls.set(delta.index, call);
    }
  }
}

export function tokenCounts(usage: CompletionUsage): TokenCounts {
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? null,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? null,
  };
}
