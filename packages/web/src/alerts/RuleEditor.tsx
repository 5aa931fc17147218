import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { deleteRule, saveRule, sendTestNotification } from '../api/alert-client.ts';
import type { AlertRule } from '../api/types.ts';
import { RuleFormInputs } from './RuleFormInputs.tsx';
import {
  EMPTY_RULE_FIELDS,
  fieldsFromRule,
  ruleBodyFromFields,
  type RuleFormFields,
} from './rule-form.ts';

export interface RuleEditorProps {
  /** The rule to edit, or null for a new API rule. */
  rule: AlertRule | null;
  onSaved: (ruleId: string) => void;
  onDeleted: (ruleId: string) => void;
  onClose: () => void;
}

type Outcome = { kind: 'error' | 'info'; text: string } | null;

function initialFields(rule: AlertRule | null): RuleFormFields {
  if (rule === null) return { ...EMPTY_RULE_FIELDS };
  const fields = fieldsFromRule(rule);
  // A file rule cannot be saved through the API, so its form starts as a copy under a new id.
  return rule.origin?.kind === 'file' ? { ...fields, id: `${rule.id}-custom` } : fields;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Edits an API rule, creates a new one, or copies a file rule into a new API rule. */
export function RuleEditor(props: RuleEditorProps): JSX.Element {
  const fromFile = props.rule?.origin?.kind === 'file';
  const creating = props.rule === null || fromFile;
  const [fields, setFields] = useState<RuleFormFields>(() => initialFields(props.rule));
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const run = async (work: () => Promise<string | null>): Promise<void> => {
    setBusy(true);
    try {
      const info = await work();
      setOutcome(info === null ? null : { kind: 'info', text: info });
    } catch (error) {
      setOutcome({ kind: 'error', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: Event): void => {
    event.preventDefault();
    const result = ruleBodyFromFields(props.rule, fields);
    if (!result.ok) {
      setOutcome({ kind: 'error', text: result.message });
      return;
    }
    void run(async () => {
      await saveRule(creating ? null : (props.rule?.id ?? null), result.body);
      props.onSaved(String(result.body.id));
      return `Saved rule "${String(result.body.id)}".`;
    });
  };

  const onDelete = (): void => {
    const id = props.rule?.id;
    if (id === undefined) return;
    if (!confirmingDelete) {
      setConfirmingDelete(true);
      return;
    }
    void run(async () => {
      await deleteRule(id);
      props.onDeleted(id);
      return null;
    });
  };

  const onTest = (): void => {
    const id = props.rule?.id;
    if (id === undefined) return;
    void run(async () => {
      const receivers = await sendTestNotification(id);
      const names = Array.isArray(receivers) ? receivers.map(String) : [];
      return names.length === 0
        ? `No receiver is routed for rule "${id}", so no test notification was sent.`
        : `Test notification queued for ${names.join(', ')}; GET /api/v1/alerts/outbox shows its delivery.`;
    });
  };

  return (
    <form class="rule-editor" data-testid="rule-editor" onSubmit={onSubmit}>
      <h3 class="rule-editor-title">
        {props.rule === null ? 'New API rule' : `Rule ${props.rule.id}`}
      </h3>
      {fromFile && (
        <p class="panel-note" data-testid="rule-file-note">
          This rule is defined in {props.rule?.origin?.path ?? 'a rule file'}. The server keeps
          rule-file rules read-only and a file rule hides an API rule with the same id, so change
          the file to change this rule. Saving here creates a separate API rule under the id below,
          which is evaluated next to the file rule.
        </p>
      )}
      <RuleFormInputs
        fields={fields}
        creating={creating}
        onChange={(change) => setFields((previous) => ({ ...previous, ...change }))}
      />
      {outcome !== null && (
        <p
          class={outcome.kind === 'error' ? 'panel-message panel-error-message' : 'panel-message'}
          role={outcome.kind === 'error' ? 'alert' : 'status'}
          data-testid={outcome.kind === 'error' ? 'rule-form-error' : 'rule-form-info'}
        >
          {outcome.text}
        </p>
      )}
      <div class="rule-editor-actions">
        <button type="submit" disabled={busy}>
          {creating ? 'Create API rule' : 'Save'}
        </button>
        {props.rule !== null && (
          <button type="button" disabled={busy} onClick={onTest}>
            Send test notification
          </button>
        )}
        {props.rule !== null && !fromFile && (
          <button type="button" class="danger-button" disabled={busy} onClick={onDelete}>
            {confirmingDelete ? 'Confirm delete' : 'Delete'}
          </button>
        )}
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
