import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { createSilence } from '../api/alert-client.ts';
import type { AlertRule } from '../api/types.ts';
import { silenceMatchersForRule } from './rule-form.ts';

export interface SilenceRuleFormProps {
  rule: AlertRule;
  onCreated: (silenceId: string) => void;
}

/** Creates a silence that matches a rule's alerts by its labels, for a duration such as 2h. */
export function SilenceRuleForm(props: SilenceRuleFormProps): JSX.Element {
  const matchers = silenceMatchersForRule(props.rule);
  const [duration, setDuration] = useState('2h');
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    try {
      const { silenceId } = await createSilence(matchers, duration.trim(), comment.trim());
      setMessage({ error: false, text: `Created silence ${silenceId}.` });
      props.onCreated(silenceId);
    } catch (error) {
      setMessage({ error: true, text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="silence-form"
      data-testid="silence-form"
      onSubmit={(event) => void onSubmit(event)}
    >
      <h3 class="rule-editor-title">Silence this rule's alerts</h3>
      <p class="panel-note">
        Matchers: <code data-testid="silence-matchers">{matchers.join(', ')}</code>
      </p>
      <div class="alert-toolbar">
        <label class="rule-field">
          <span class="rule-field-label">Duration</span>
          <input
            type="text"
            name="duration"
            value={duration}
            placeholder="2h"
            onInput={(event) => setDuration(event.currentTarget.value)}
          />
        </label>
        <label class="rule-field rule-field-wide">
          <span class="rule-field-label">Comment</span>
          <input
            type="text"
            name="comment"
            value={comment}
            onInput={(event) => setComment(event.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          Create silence
        </button>
      </div>
      {message !== null && (
        <p
          class={message.error ? 'panel-message panel-error-message' : 'panel-message'}
          role={message.error ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
    </form>
  );
}
