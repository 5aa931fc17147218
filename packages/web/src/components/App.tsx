import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { QueryScope } from '../api/client.ts';
import { DEFAULT_OTLP_ENDPOINT } from '../api/client.ts';
import { useDashboardQueries } from '../hooks/useDashboardQueries.ts';
import { useRefreshTick } from '../hooks/useRefreshTick.ts';
import { useUrlState } from '../hooks/useUrlState.ts';
import { resolveTimeRange } from '../state/time-range.ts';
import { CostPanel } from './CostPanel.tsx';
import { DashboardRows } from './DashboardRows.tsx';
import { ErrorRatePanel } from './ErrorRatePanel.tsx';
import { Header } from './Header.tsx';
import { LatencyPanel } from './LatencyPanel.tsx';
import { OnboardingNotice } from './OnboardingNotice.tsx';

/** Renders the dashboard page: header, three big graphs, and collapsible rows below. */
export function App(): JSX.Element {
  const [urlState, updateUrlState] = useUrlState();
  const [tick, refreshNow] = useRefreshTick(urlState.refresh);
  const range = useMemo(() => resolveTimeRange(urlState.range, Date.now()), [urlState.range, tick]);
  const scope: QueryScope = useMemo(
    () => ({ range, filters: urlState.filters }),
    [range, urlState.filters],
  );
  const scopeKey = `${range.fromMs}:${range.toMs}:${JSON.stringify(urlState.filters)}:${tick}`;
  const queries = useDashboardQueries(scope, scopeKey);
  const loading = Object.values(queries).some((query) => query.loading);
  const noCalls =
    queries.summaryByModel.data?.groups.every((group) => group.requests === 0) === true;

  return (
    <div class="app">
      <Header
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
        {noCalls && (
          <OnboardingNotice
            info={
              queries.ingestInfo.data ?? {
                otlpEndpoint: DEFAULT_OTLP_ENDPOINT,
                otlpTracesUrl: `${DEFAULT_OTLP_ENDPOINT}/v1/traces`,
              }
            }
            filtered={Object.keys(urlState.filters).length > 0}
          />
        )}
        <div class="big-graphs">
          <LatencyPanel
            seriesByModel={queries.seriesByModel}
            summaryByModel={queries.summaryByModel}
          />
          <ErrorRatePanel
            seriesByErrorType={queries.seriesByErrorType}
            seriesByModel={queries.seriesByModel}
            summaryByModel={queries.summaryByModel}
          />
          <CostPanel cost={queries.cost} seriesByModel={queries.seriesByModel} />
        </div>
        <DashboardRows
          scope={scope}
          scopeKey={scopeKey}
          seriesByModel={queries.seriesByModel}
          urlPanel={urlState.panel}
          onPanelChange={(panel) => updateUrlState({ panel })}
        />
      </main>
    </div>
  );
}
