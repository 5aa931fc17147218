import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { QueryScope } from '../api/client.ts';
import { useAlarms } from '../hooks/useAlarms.ts';
import { useDashboardQueries } from '../hooks/useDashboardQueries.ts';
import { useRefreshTick } from '../hooks/useRefreshTick.ts';
import { useUrlState } from '../hooks/useUrlState.ts';
import { AlarmContext, type AlarmInfo } from '../state/alarm-context.ts';
import { NavigationContext, type TraceJump } from '../state/navigation-context.ts';
import { resolveTimeRange } from '../state/time-range.ts';
import { serializeUrlState } from '../state/url-state.ts';
import { EMPTY_TRACE_SEARCH } from '../state/views.ts';
import { TracesView } from '../traces/TracesView.tsx';
import { ExperimentsView } from '../tracking/ExperimentsView.tsx';
import { RegistryView } from '../tracking/RegistryView.tsx';
import type { TrackingUrlState } from '../tracking/tracking-url-state.ts';
import { DashboardView } from './DashboardView.tsx';
import { Header } from './Header.tsx';
import { RulesView } from './RulesView.tsx';

/** Renders the app: the header, then the dashboard, the trace explorer or the rules page. */
export function App(): JSX.Element {
  const [urlState, updateUrlState] = useUrlState();
  const [tick, refreshNow] = useRefreshTick(urlState.refresh);
  const range = useMemo(() => resolveTimeRange(urlState.range, Date.now()), [urlState.range, tick]);
  const scope: QueryScope = useMemo(
    () => ({ range, filters: urlState.filters }),
    [range, urlState.filters],
  );
  const scopeKey = `${range.fromMs}:${range.toMs}:${JSON.stringify(urlState.filters)}:${tick}`;
  const queries = useDashboardQueries(scope, scopeKey, urlState.view === 'dashboard');
  const alarms = useAlarms(tick);
  const loading = Object.values(queries).some((query) => query.loading);
  const updateTracking = (change: Partial<TrackingUrlState>): void =>
    updateUrlState({ tracking: { ...urlState.tracking, ...change } });

  const alarmInfo: AlarmInfo = {
    alarmsByPanel: alarms.alarmsByPanel,
    rules: alarms.rules,
    onOpenRule: (rule) => updateUrlState({ view: 'rules', rule }),
    ruleHref: (rule) => `?${serializeUrlState({ ...urlState, view: 'rules', rule })}`,
  };
  const openTraces = (jump: TraceJump): void =>
    updateUrlState({
      view: 'traces',
      range: { kind: 'absolute', fromMs: jump.fromMs, toMs: jump.toMs },
      filters: { ...urlState.filters, ...jump.filters },
      trace: null,
      traceSearch: { ...EMPTY_TRACE_SEARCH, status: jump.status ?? null },
    });

  return (
    <AlarmContext.Provider value={alarmInfo}>
      <NavigationContext.Provider value={{ onOpenTraces: openTraces }}>
        <div class="app" data-view={urlState.view}>
          <Header
            view={urlState.view}
            onViewChange={(view) => updateUrlState({ view })}
            range={urlState.range}
            resolved={range}
            refresh={urlState.refresh}
            filters={urlState.filters}
            dimensions={queries.dimensions}
            loading={loading}
            onRangeChange={(nextRange) => updateUrlState({ range: nextRange })}
            onRefreshChange={(refresh) => updateUrlState({ refresh })}
            onRefreshNow={refreshNow}
            onFiltersChange={(filters) => updateUrlState({ filters })}
          />
          <main class="content">
            {urlState.view === 'dashboard' && (
              <DashboardView
                scope={scope}
                scopeKey={scopeKey}
                queries={queries}
                filtered={Object.keys(urlState.filters).length > 0}
                panel={urlState.panel}
                onPanelChange={(panel) => updateUrlState({ panel })}
                costBreakdown={urlState.costBreakdown}
                onCostBreakdownChange={(costBreakdown) => updateUrlState({ costBreakdown })}
              />
            )}
            {urlState.view === 'traces' && (
              <TracesView
                scope={scope}
                scopeKey={scopeKey}
                fields={urlState.traceSearch}
                traceId={urlState.trace}
                onSearch={(traceSearch) => updateUrlState({ traceSearch, trace: null })}
                onSelectTrace={(trace) => updateUrlState({ trace })}
              />
            )}
            {urlState.view === 'experiments' && (
              <ExperimentsView state={urlState.tracking} onChange={updateTracking} />
            )}
            {urlState.view === 'registry' && (
              <RegistryView state={urlState.tracking} onChange={updateTracking} />
            )}
            {urlState.view === 'rules' && (
              <RulesView
                rules={alarms.rules}
                alarmsByPanel={alarms.alarmsByPanel}
                loading={alarms.rulesLoading}
                error={alarms.rulesError}
                selectedRuleId={urlState.rule}
                onOpenPanel={(panel) => updateUrlState({ view: 'dashboard', panel })}
                onRulesChanged={refreshNow}
              />
            )}
          </main>
        </div>
      </NavigationContext.Provider>
    </AlarmContext.Provider>
  );
}
