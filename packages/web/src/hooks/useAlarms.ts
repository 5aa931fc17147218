import { useMemo } from 'preact/hooks';
import { fetchPanels, fetchRules } from '../api/panel-client.ts';
import type { AlertRule, PanelAlarm } from '../api/types.ts';
import { useApiQuery } from './useApiQuery.ts';

export interface AlarmData {
  alarmsByPanel: ReadonlyMap<string, PanelAlarm> | undefined;
  rules: readonly AlertRule[];
  rulesLoading: boolean;
  rulesError: Error | undefined;
}

/** Loads panel alarm states and alert rules again on every refresh tick. */
export function useAlarms(tick: number): AlarmData {
  const panels = useApiQuery((signal) => fetchPanels(signal), `panels:${tick}`);
  const rules = useApiQuery((signal) => fetchRules(signal), `rules:${tick}`);
  const alarmsByPanel = useMemo(
    () =>
      panels.data === undefined
        ? undefined
        : new Map(panels.data.panels.map((panel) => [panel.id, panel.alarm])),
    [panels.data],
  );
  return {
    alarmsByPanel,
    rules: rules.data?.rules ?? [],
    rulesLoading: rules.loading,
    rulesError: rules.error,
  };
}
