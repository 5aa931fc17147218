import type { JSX } from 'preact';
import type { AlertRule } from '../api/types.ts';
import { AlertHistory } from './AlertHistory.tsx';
import { RuleEditor } from './RuleEditor.tsx';
import { SilenceRuleForm } from './SilenceRuleForm.tsx';

/** The editor's subject: nothing, a new rule, or an existing rule by id. */
export type EditTarget = { kind: 'none' } | { kind: 'new' } | { kind: 'rule'; id: string };

export interface RuleDetailProps {
  target: EditTarget;
  rules: readonly AlertRule[];
  reloadKey: number;
  onTargetChange: (target: EditTarget) => void;
  onRulesChanged: () => void;
  onSilenceCreated: () => void;
}

/** Renders the editor of one rule, with the silence form and the rule's history below it. */
export function RuleDetail(props: RuleDetailProps): JSX.Element | null {
  const { target } = props;
  if (target.kind === 'none') return null;
  const rule =
    target.kind === 'rule' ? props.rules.find((candidate) => candidate.id === target.id) : null;
  if (rule === undefined) {
    return (
      <p class="panel-message" data-testid="rule-editor-loading">
        Loading rule "{target.kind === 'rule' ? target.id : ''}"…
      </p>
    );
  }
  const close = (): void => props.onTargetChange({ kind: 'none' });
  return (
    <div class="rule-detail">
      <RuleEditor
        key={target.kind === 'rule' ? `rule:${target.id}` : 'new'}
        rule={rule}
        onSaved={(id) => {
          props.onRulesChanged();
          props.onTargetChange({ kind: 'rule', id });
        }}
        onDeleted={() => {
          props.onRulesChanged();
          close();
        }}
        onClose={close}
      />
      {rule !== null && (
        <SilenceRuleForm
          key={`silence:${rule.id}`}
          rule={rule}
          onCreated={props.onSilenceCreated}
        />
      )}
      {rule !== null && <AlertHistory ruleId={rule.id} reloadKey={props.reloadKey} />}
    </div>
  );
}
