import { describe, expect, it } from 'vitest';
import { contentBlocks, parseContent } from '../src/lib/message-content.ts';

describe('parseContent', () => {
  it('reads OTel GenAI messages with parts', () => {
    const value = JSON.stringify([
      { role: 'user', parts: [{ type: 'text', content: 'Hi <b>there</b>' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', name: 'search', arguments: { q: 'x' } }] },
    ]);
    expect(parseContent(value, 'input')).toEqual([
      { role: 'user', text: 'Hi <b>there</b>' },
      {
        role: 'assistant',
        text: JSON.stringify({ type: 'tool_call', name: 'search', arguments: { q: 'x' } }, null, 2),
      },
    ]);
  });

  it('reads chat messages with string content', () => {
    expect(parseContent('[{"role":"system","content":"Be brief."}]', 'input')).toEqual([
      { role: 'system', text: 'Be brief.' },
    ]);
  });

  it('keeps plain text as one message', () => {
    expect(parseContent('<script>alert(1)</script>', 'output')).toEqual([
      { role: 'output', text: '<script>alert(1)</script>' },
    ]);
  });
});

describe('contentBlocks', () => {
  it('orders known keys before flattened ones', () => {
    const blocks = contentBlocks({
      attributes: {
        'gen_ai.prompt.1.content': 'second',
        'gen_ai.output.messages': '"done"',
        'gen_ai.prompt.0.content': 'first',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.input.messages': '[]',
      },
    });
    expect(blocks.map((block) => block.key)).toEqual([
      'gen_ai.input.messages',
      'gen_ai.output.messages',
      'gen_ai.prompt.0.content',
      'gen_ai.prompt.1.content',
    ]);
    expect(blocks[1]!.messages).toEqual([{ role: 'output', text: 'done' }]);
  });
});
