import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Random } from '../../random.ts';
import { ARTICLES } from '../corpus.ts';

/** A tool the support agent can call, with the local work it simulates. */
export interface SupportTool {
  name: string;
  definition: ChatCompletionTool;
  /** Range of the tool's run time. */
  durationMs: readonly [number, number];
  run(argumentsJson: string, random: Random): string;
}

function functionTool(
  name: string,
  description: string,
  properties: Record<string, string>,
): ChatCompletionTool {
  const schemaProperties = Object.fromEntries(
    Object.entries(properties).map(([property, type]) => [property, { type }]),
  );
  return {
    type: 'function',
    function: {
      name,
      description,
      parameters: {
        type: 'object',
        properties: schemaProperties,
        required: Object.keys(properties),
      },
    },
  };
}

export const SUPPORT_TOOLS: readonly SupportTool[] = Object.freeze([
  {
    name: 'search_kb',
    definition: functionTool('search_kb', 'Search the help-centre articles.', { query: 'string' }),
    durationMs: [20, 60],
    run: (_argumentsJson, random) =>
      JSON.stringify([random.pick(ARTICLES).id, random.pick(ARTICLES).id]),
  },
  {
    name: 'lookup_order',
    definition: functionTool('lookup_order', 'Look up an order by its id.', { order_id: 'string' }),
    durationMs: [40, 250],
    run: (_argumentsJson, random) =>
      JSON.stringify({
        status: random.pick(['shipped', 'processing', 'delivered']),
        items: random.int(1, 4),
      }),
  },
  {
    name: 'create_ticket',
    definition: functionTool('create_ticket', 'Open a ticket for the human support team.', {
      summary: 'string',
      priority: 'string',
    }),
    durationMs: [100, 400],
    run: (_argumentsJson, random) =>
      JSON.stringify({ ticket_id: `T-${random.int(10_000, 99_999)}` }),
  },
]);
