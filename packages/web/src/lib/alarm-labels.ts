import type { PanelAlarm } from '../api/types.ts';

/** The label of a panel's alarm on the page. */
export type AlarmLabel = 'quiet' | 'pending' | 'firing' | 'no-rules' | 'unknown';

export const ALARM_LABEL_TEXT: Readonly<Record<AlarmLabel, string>> = {
  quiet: 'Quiet',
  pending: 'Pending',
  firing: 'Firing',
  'no-rules': 'No alarm rules',
  unknown: 'Alarm state unknown',
};

/** Maps the server's alarm state to the label; a panel without rules has no alarm to show. */
export function alarmLabel(alarm: PanelAlarm | undefined): AlarmLabel {
  if (alarm === undefined) return 'unknown';
  if (alarm.ruleIds.length === 0) return 'no-rules';
  if (alarm.state === 'firing') return 'firing';
  return alarm.state === 'pending' ? 'pending' : 'quiet';
}

/** Orders a panel's rules so that firing ones come first, then pending, then quiet. */
export function rulesByUrgency(alarm: PanelAlarm): string[] {
  const rank = (ruleId: string): number =>
    alarm.firingRuleIds.includes(ruleId) ? 0 : alarm.pendingRuleIds.includes(ruleId) ? 1 : 2;
  return [...alarm.ruleIds].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
