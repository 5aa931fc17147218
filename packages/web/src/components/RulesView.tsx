import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AlertRule, PanelAlarm } from '../api/types.ts';
import { AlertHistory } from '../alerts/AlertHistory.tsx';
import { RuleDetail, type EditTarget } from '../alerts/RuleDetail.tsx';
import { RulesTable } from '../alerts/RulesTable.tsx';
import { SilencesList } from '../alerts/SilencesList.tsx';
import type { PanelId } from '../state/rows.ts';
import '../alerts/alerts.css';

export interface RulesViewProps {
  rules: readonly AlertRule[];
  alarmsByPanel: ReadonlyMap<string, PanelAlarm> | undefined;
  loading: boolean;
  error: Error | undefined;
  selectedRuleId: string | null;
  onOpenPanel: (panel: PanelId) => void;
  /** Asks the app to load the rules again after a save or a delete. */
  onRulesChanged: () => void;
}

const TABS = [
  { id: 'rules', label: 'Rules' },
  { id: 'history', label: 'History' },
  { id: 'silences', label: 'Silences' },
] as const;

type RulesTab = (typeof TABS)[number]['id'];

function TabBar(props: { tab: RulesTab; onChange: (tab: RulesTab) => void }): JSX.Element {
  return (
    <div class="rules-tabs" role="tablist">
      {TABS.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          data-rules-tab={tab.id}
          aria-selected={props.tab === tab.id}
          class={props.tab === tab.id ? 'rules-tab active' : 'rules-tab'}
          onClick={() => props.onChange(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

/** Lists the alert rules, edits API rules, and shows the alert history and the silences. */
export function RulesView(props: RulesViewProps): JSX.Element {
  const [tab, setTab] = useState<RulesTab>('rules');
  const [target, setTarget] = useState<EditTarget>({ kind: 'none' });
  const [reloadKey, setReloadKey] = useState(0);
  const selected = props.rules.find((rule) => rule.id === props.selectedRuleId);
  useEffect(() => {
    if (selected !== undefined) {
      document.querySelector(`[data-rule="${selected.id}"]`)?.scrollIntoView({ block: 'center' });
    }
  }, [selected?.id]);

  if (props.error !== undefined) {
    return (
      <section class="panel" data-panel="rules" data-state="error">
        <p class="panel-message panel-error-message" role="alert">
          Alert rules failed to load: {props.error.message}
        </p>
      </section>
    );
  }
  let state = 'empty';
  if (props.rules.length > 0) {
    state = 'ready';
  } else if (props.loading) {
    state = 'loading';
  }
  const reload = (): void => setReloadKey((count) => count + 1);
  return (
    <section class="panel rules-view" data-panel="rules" data-state={state}>
      <header class="panel-header">
        <div class="panel-titles">
          <h2 class="panel-title">Alert rules</h2>
          <p class="panel-description">
            Every rule with its condition and current state. Rules saved here go through
            /api/v1/alerts/rules; rules of the YAML files under the data directory change only in
            those files.
          </p>
        </div>
      </header>
      <TabBar tab={tab} onChange={setTab} />
      {tab === 'rules' && (
        <div class="rules-tab-body">
          {props.selectedRuleId !== null && selected === undefined && state !== 'loading' && (
            <p class="panel-message" role="alert">
              Rule "{props.selectedRuleId}" does not exist; it may have been renamed or deleted.
            </p>
          )}
          <div class="alert-toolbar">
            <button type="button" data-testid="new-rule" onClick={() => setTarget({ kind: 'new' })}>
              New rule
            </button>
          </div>
          <RuleDetail
            target={target}
            rules={props.rules}
            reloadKey={reloadKey}
            onTargetChange={setTarget}
            onRulesChanged={() => {
              props.onRulesChanged();
              reload();
            }}
            onSilenceCreated={reload}
          />
          {state === 'empty' && <p class="panel-message">No alert rules are loaded.</p>}
          {state === 'ready' && (
            <RulesTable
              rules={props.rules}
              alarmsByPanel={props.alarmsByPanel}
              selectedRuleId={props.selectedRuleId}
              onOpenPanel={props.onOpenPanel}
              onEdit={(id) => setTarget({ kind: 'rule', id })}
            />
          )}
        </div>
      )}
      {tab === 'history' && <AlertHistory ruleId={null} reloadKey={reloadKey} />}
      {tab === 'silences' && <SilencesList reloadKey={reloadKey} />}
    </section>
  );
}
