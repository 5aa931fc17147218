import type { JSX } from 'preact';
import type { AlertRule, PanelAlarm } from '../api/types.ts';
import { isPanelId, type PanelId } from '../state/rows.ts';

export interface RulesTableProps {
  rules: readonly AlertRule[];
  alarmsByPanel: ReadonlyMap<string, PanelAlarm> | undefined;
  selectedRuleId: string | null;
  onOpenPanel: (panel: PanelId) => void;
  onEdit: (ruleId: string) => void;
}

type RuleState = 'firing' | 'pending' | 'quiet';

function ruleState(rule: AlertRule, alarmsByPanel: RulesTableProps['alarmsByPanel']): RuleState {
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

function PanelCell(props: { rule: AlertRule; onOpenPanel: (panel: PanelId) => void }): JSX.Element {
  const { rule } = props;
  if (!isPanelId(rule.panel)) return <td>{rule.panel}</td>;
  return (
    <td>
      <button
        type="button"
        class="link-button"
        onClick={() => props.onOpenPanel(rule.panel as PanelId)}
      >
        {rule.panel}
      </button>
    </td>
  );
}

function RuleRow(props: RulesTableProps & { rule: AlertRule }): JSX.Element {
  const { rule } = props;
  const stateName = ruleState(rule, props.alarmsByPanel);
  return (
    <tr
      id={`rule-${rule.id}`}
      data-rule={rule.id}
      data-rule-state={stateName}
      data-rule-origin={rule.origin?.kind ?? 'file'}
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
      <PanelCell rule={rule} onOpenPanel={props.onOpenPanel} />
      <td>{rule.kind}</td>
      <td data-testid="rule-condition">
        <code>{ruleCondition(rule)}</code>
      </td>
      <td>{rule.severity}</td>
      <td>{rule.annotations?.summary ?? ''}</td>
      <td title={rule.origin?.path}>{rule.origin?.kind === 'api' ? 'API' : 'file'}</td>
      <td>
        <button type="button" data-edit-rule={rule.id} onClick={() => props.onEdit(rule.id)}>
          {rule.origin?.kind === 'api' ? 'Edit' : 'View'}
        </button>
      </td>
    </tr>
  );
}

/** Renders the rules with their conditions, states and origins; each row opens the rule's editor. */
export function RulesTable(props: RulesTableProps): JSX.Element {
  return (
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
          <th scope="col">Origin</th>
          <th scope="col" />
        </tr>
      </thead>
      <tbody>
        {props.rules.map((rule) => (
          <RuleRow key={rule.id} {...props} rule={rule} />
        ))}
      </tbody>
    </table>
  );
}
