import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { AlertRule, PanelAlarm } from '../api/types.ts';
import { isPanelId, type PanelId } from '../state/rows.ts';

export interface RulesViewProps {
  rules: readonly AlertRule[];
  alarmsByPanel: ReadonlyMap<string, PanelAlarm> | undefined;
  loading: boolean;
  error: Error | undefined;
  selectedRuleId: string | null;
  onOpenPanel: (panel: PanelId) => void;
}

type RuleState = 'firing' | 'pending' | 'quiet';

function ruleState(rule: AlertRule, alarmsByPanel: RulesViewProps['alarmsByPanel']): RuleState {
  const alarm = alarmsByPanel?.get(rule.panel);
  if (alarm?.firingRuleIds.includes(rule.id) === true) return 'firing';
  return alarm?.pendingRuleIds.includes(rule.id) === true ? 'pending' : 'quiet';
}

/** States the condition of a rule as one line: `latency_p95_ms by model over 10m > 15000 for 5m`. */
export function ruleCondition(rule: AlertRule): string {
  const parts = [rule.expr];
  if (rule.kind === 'slo_burn' && rule.slo !== undefined) {
    parts.push(`burns a ${rule.slo.objective * 100}% SLO (${rule.slo.windows} windows)`);
  } else if (rule.kind === 'baseline' && rule.baseline !== undefined) {
    parts.push(
      `${rule.comparator} ${rule.threshold ?? '?'} × (${rule.baseline.compare} to the previous ${rule.baseline.over})`,
    );
  } else if (typeof rule.threshold === 'number') {
    parts.push(`${rule.comparator} ${rule.threshold}`);
  }
  if (rule.for !== '0s') parts.push(`for ${rule.for}`);
  return parts.join(' ');
}

/** Lists the alert rules with their thresholds and states; a linked rule is highlighted. */
export function RulesView(props: RulesViewProps): JSX.Element {
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
  return (
    <section class="panel rules-view" data-panel="rules" data-state={state}>
      <header class="panel-header">
        <div class="panel-titles">
          <h2 class="panel-title">Alert rules</h2>
          <p class="panel-description">
            Every rule with its condition and current state. Edit the rule files or use
            /api/v1/alerts/rules to change them.
          </p>
        </div>
      </header>
      {props.selectedRuleId !== null && selected === undefined && state !== 'loading' && (
        <p class="panel-message" role="alert">
          Rule "{props.selectedRuleId}" does not exist; it may have been renamed or deleted.
        </p>
      )}
      {state === 'empty' && <p class="panel-message">No alert rules are loaded.</p>}
      {state === 'ready' && (
        <table class="data-table rules-table">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">State</th>
              <th scope="col">Panel</th>
              <th scope="col">Kind</th>
              <th scope="col">Condition</th>
              <th scope="col">Severity</th>
              <th scope="col">Summary</th>
            </tr>
          </thead>
          <tbody>
            {props.rules.map((rule) => {
              const stateName = ruleState(rule, props.alarmsByPanel);
              return (
                <tr
                  key={rule.id}
                  id={`rule-${rule.id}`}
                  data-rule={rule.id}
                  data-rule-state={stateName}
                  class={rule.id === props.selectedRuleId ? 'selected' : undefined}
                >
                  <th scope="row">
                    <code>{rule.id}</code>
                  </th>
                  <td>
                    <span class={`alarm alarm-${stateName}`}>
                      <span class="alarm-dot" aria-hidden="true" />
                      {stateName}
                    </span>
                  </td>
                  <td>
                    {isPanelId(rule.panel) ? (
                      <button
                        type="button"
                        class="link-button"
                        onClick={() => props.onOpenPanel(rule.panel as PanelId)}
                      >
                        {rule.panel}
                      </button>
                    ) : (
                      rule.panel
                    )}
                  </td>
                  <td>{rule.kind}</td>
                  <td data-testid="rule-condition">
                    <code>{ruleCondition(rule)}</code>
                  </td>
                  <td>{rule.severity}</td>
                  <td>{rule.annotations?.summary ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
