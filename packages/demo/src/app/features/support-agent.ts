import type { Context } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { QUESTIONS, SUPPORT_AGENT_SYSTEM_PROMPT } from '../content.ts';
import type { ToolCallRequest } from '../llm-gateway.ts';
import { callChat } from '../model-calls.ts';
import type { RequestScope } from '../request-scope.ts';
import { inSpan } from '../spans.ts';
import { httpRoute } from './feature.ts';
import type { SupportTool } from './support-tools.ts';
import { SUPPORT_TOOLS } from './support-tools.ts';

export const SUPPORT_AGENT_NAME = 'support-agent';
/** The agent stops after this many model turns even if the model keeps calling tools. */
const MAX_AGENT_TURNS = 4;
const AGENT_MODELS: readonly (readonly [string, number])[] = [
  ['gpt-4o', 0.65],
  ['o3-mini', 0.15],
  ['claude-3-5-haiku-20241022', 0.2],
];

/**
 * Runs a support conversation turn through a tool-calling agent: an
 * `invoke_agent support-agent` span around a loop of chat calls, each tool
 * call run in an `execute_tool {name}` span.
 */
export async function runSupportAgent(scope: RequestScope): Promise<void> {
  const random = scope.random;
  const model = random.weighted(AGENT_MODELS);
  const tools = SUPPORT_TOOLS.slice(0, random.int(1, SUPPORT_TOOLS.length));
  const attributes = {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.agent.name': SUPPORT_AGENT_NAME,
    'gen_ai.request.model': model,
  };

  await httpRoute(scope, 'POST', '/api/support/messages', async (routeContext) => {
    const agentSpanName = `invoke_agent ${SUPPORT_AGENT_NAME}`;
    await inSpan(scope, routeContext, agentSpanName, SpanKind.INTERNAL, attributes, (context) =>
      runAgentLoop(scope, context, model, tools),
    );
  });
}

async function runAgentLoop(
  scope: RequestScope,
  context: Context,
  model: string,
  tools: readonly SupportTool[],
): Promise<void> {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: SUPPORT_AGENT_SYSTEM_PROMPT },
    { role: 'user', content: scope.random.pick(QUESTIONS) },
  ];
  for (let turn = 0; turn < MAX_AGENT_TURNS; turn += 1) {
    const result = await callChat(scope, context, {
      model,
      messages,
      tools: tools.map((tool) => tool.definition),
      temperature: 0.3,
      maxTokens: 800,
      stream: false,
    });
    if (result.toolCalls.length === 0) return;
    messages.push(assistantToolCallMessage(result.toolCalls));
    for (const call of result.toolCalls) {
      const output = await executeTool(scope, context, tools, call);
      messages.push({ role: 'tool', tool_call_id: call.id, content: output });
    }
  }
}

function assistantToolCallMessage(calls: readonly ToolCallRequest[]): ChatCompletionMessageParam {
  return {
    role: 'assistant',
    content: null,
    tool_calls: calls.map((call) => ({
      id: call.id,
      type: 'function' as const,
      function: { name: call.name, arguments: call.argumentsJson },
    })),
  };
}

async function executeTool(
  scope: RequestScope,
  context: Context,
  tools: readonly SupportTool[],
  call: ToolCallRequest,
): Promise<string> {
  const tool = tools.find((candidate) => candidate.name === call.name);
  const attributes = {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': call.name,
    'gen_ai.tool.call.id': call.id,
    'gen_ai.tool.type': 'function',
  };
  return inSpan(
    scope,
    context,
    `execute_tool ${call.name}`,
    SpanKind.INTERNAL,
    attributes,
    async () => {
      if (tool === undefined) return JSON.stringify({ error: `unknown tool '${call.name}'` });
      await scope.clock.work(scope.random.int(...tool.durationMs));
      return tool.run(call.argumentsJson, scope.random);
    },
  );
}
