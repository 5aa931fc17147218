import { createContext } from 'preact';
import type { AlertRule, PanelAlarm } from '../api/types.ts';

/** The alarm data every panel reads: the states by panel id and the rules. */
export interface AlarmInfo {
  /** Undefined while loading or when the server serves no alarms. */
  alarmsByPanel: ReadonlyMap<string, PanelAlarm> | undefined;
  rules: readonly AlertRule[];
  /** Opens the rules page at one rule. */
  onOpenRule: (ruleId: string) => void;
  /** Builds the link of a rule, for opening it in a new tab or copying. */
  ruleHref: (ruleId: string) => string;
}

export const AlarmContext = createContext<AlarmInfo>({
  alarmsByPanel: undefined,
  rules: [],
  onOpenRule: () => undefined,
  ruleHref: (ruleId) => `?view=rules&rule=${encodeURIComponent(ruleId)}`,
});
