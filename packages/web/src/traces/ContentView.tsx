import type { JSX } from 'preact';
import type { TraceSpan } from '../api/types.ts';
import { contentBlocks } from '../lib/message-content.ts';

/**
 * Shows prompt and completion content. Content is written by anyone who can reach the
 * model, so it is rendered only as text nodes: markup in it is shown, never parsed.
 */
export function ContentView({ span }: { span: TraceSpan }): JSX.Element | null {
  const blocks = contentBlocks(span);
  if (blocks.length === 0) return null;
  return (
    <section class="span-section" data-section="content">
      <h4>Prompt and completion</h4>
      {blocks.map((block) => (
        <div class="content-block" key={block.key} data-content-key={block.key}>
          <div class="content-key">{block.key}</div>
          {block.messages.map((message, index) => (
            <div class="message" key={index}>
              <span class={`message-role role-${message.role.replace(/[^a-z_]/gi, '')}`}>
                {message.role}
              </span>
              <pre class="message-text">{message.text}</pre>
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}
