import type { Random } from '../random.ts';
import type { ChatRequest, ChatTool, ChatToolCall } from './chat-request.ts';
import type { MockModel } from './model-table.ts';
import {
  CHARACTERS_PER_TOKEN,
  countCachedTokens,
  countPromptTokens,
  countTokens,
} from './tokens.ts';

/** The mock model's output: text, or calls to the request's tools. */
export interface Completion {
  content: string | null;
  toolCalls: ChatToolCall[];
  finishReason: 'stop' | 'length' | 'tool_calls';
}

/** Usage in the OpenAI wire shape. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details?: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

const WORDS = (
  'the order was shipped on monday and should arrive within three business days ' +
  'your refund has been approved please allow five days for the bank to process it ' +
  'according to the knowledge base the setting lives under account preferences ' +
  'i checked the logs and the export finished without errors after the retry ' +
  'here is a short summary of the document with the main points and next steps'
).split(' ');

/**
 * Plans the completion. With tools offered and `tool_choice` not `none`, the model
 * calls one tool per turn, in the order the tools are listed, until every tool
 * was called once, and then it returns text.
 */
export function planCompletion(request: ChatRequest, model: MockModel, random: Random): Completion {
  const tool = nextTool(request);
  if (tool !== null) {
    const call: ChatToolCall = {
      id: `call_${random.hex(24)}`,
      type: 'function',
      function: {
        name: tool.function.name,
        arguments: JSON.stringify(toolArguments(tool, random)),
      },
    };
    return { content: null, toolCalls: [call], finishReason: 'tool_calls' };
  }
  return planText(request, model, random);
}

export function computeUsage(
  request: ChatRequest,
  model: MockModel,
  completion: Completion,
): ChatUsage {
  const promptTokens = countPromptTokens(request.messages);
  const visibleText =
    (completion.content ?? '') +
    completion.toolCalls.map((call) => call.function.name + call.function.arguments).join('');
  const visibleTokens = countTokens(visibleText);
  const reasoningTokens = visibleTokens * model.reasoningTokensPerOutputToken;
  const completionTokens = visibleTokens + reasoningTokens;
  const usage: ChatUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  if (model.promptCaching) {
    usage.prompt_tokens_details = {
      cached_tokens: countCachedTokens(request.messages),
      audio_tokens: 0,
    };
  }
  if (model.reasoningTokensPerOutputToken > 0) {
    usage.completion_tokens_details = {
      reasoning_tokens: reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    };
  }
  return usage;
}

function nextTool(request: ChatRequest): ChatTool | null {
  const tools = request.tools ?? [];
  if (tools.length === 0 || request.tool_choice === 'none') return null;
  const turn = request.messages.filter((message) => (message.tool_calls ?? []).length > 0).length;
  const choice = request.tool_choice;
  if (typeof choice === 'object' && turn === 0) {
    return tools.find((tool) => tool.function.name === choice.function.name) ?? null;
  }
  return tools[turn] ?? null;
}

function toolArguments(tool: ChatTool, random: Random): Record<string, unknown> {
  const properties = tool.function.parameters?.properties ?? {};
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (schema.type === 'number' || schema.type === 'integer') values[name] = random.int(1, 9999);
    else if (schema.type === 'boolean') values[name] = random.chance(0.5);
    else values[name] = `${name}-${random.hex(6)}`;
  }
  return values;
}

function planText(request: ChatRequest, model: MockModel, random: Random): Completion {
  const [minWords, maxWords] = model.answerWords;
  const wordCount = random.int(minWords, maxWords);
  const words = Array.from({ length: wordCount }, () => random.pick(WORDS));
  const text = words.join(' ') + '.';
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens !== undefined && countTokens(text) > maxTokens) {
    return {
      content: text.slice(0, maxTokens * CHARACTERS_PER_TOKEN),
      toolCalls: [],
      finishReason: 'length',
    };
  }
  return { content: text, toolCalls: [], finishReason: 'stop' };
}
