import type { JSX } from 'preact';
import { useContext } from 'preact/hooks';
import { ALARM_LABEL_TEXT, alarmLabel, rulesByUrgency } from '../lib/alarm-labels.ts';
import { AlarmContext } from '../state/alarm-context.ts';

export interface AlarmBadgeProps {
  panelId: string;
}

/** Shows a panel's alarm state with a colored dot, and links to each of its rules. */
export function AlarmBadge(props: AlarmBadgeProps): JSX.Element {
  const info = useContext(AlarmContext);
  const alarm = info.alarmsByPanel?.get(props.panelId);
  const label = alarmLabel(info.alarmsByPanel === undefined ? undefined : (alarm ?? noRules()));
  const ruleIds = alarm === undefined ? [] : rulesByUrgency(alarm);
  return (
    <div class={`alarm alarm-${label}`} data-alarm-state={label}>
      <span class="alarm-dot" aria-hidden="true" />
      <span class="alarm-text">{ALARM_LABEL_TEXT[label]}</span>
      {ruleIds.map((ruleId) => (
        <a
          key={ruleId}
          class={`alarm-rule${alarm?.firingRuleIds.includes(ruleId) === true ? ' alarm-rule-firing' : ''}`}
          href={info.ruleHref(ruleId)}
          data-rule-link={ruleId}
          onClick={(event) => {
            if (event.ctrlKey || event.metaKey || event.shiftKey) return;
            event.preventDefault();
            info.onOpenRule(ruleId);
          }}
        >
          {ruleId}
        </a>
      ))}
    </div>
  );
}

function noRules() {
  return { state: 'inactive' as const, ruleIds: [], firingRuleIds: [], pendingRuleIds: [] };
}
