import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { DEFAULT_OTLP_ENDPOINT, type QueryScope } from '../api/client.ts';
import type { DashboardQueries } from '../hooks/useDashboardQueries.ts';
import type { CostBreakdown } from '../state/cost-breakdown.ts';
import type { PanelId } from '../state/rows.ts';
import { CostPanel } from './CostPanel.tsx';
import { DashboardRows } from './DashboardRows.tsx';
import { ErrorRatePanel } from './ErrorRatePanel.tsx';
import { LatencyPanel } from './LatencyPanel.tsx';
import { OnboardingNotice } from './OnboardingNotice.tsx';

export interface DashboardViewProps {
  scope: QueryScope;
  scopeKey: string;
  queries: DashboardQueries;
  filtered: boolean;
  panel: PanelId | null;
  onPanelChange: (panel: PanelId | null) => void;
  costBreakdown: CostBreakdown;
  onCostBreakdownChange: (breakdown: CostBreakdown) => void;
}

/**
 * Scrolls once to the panel a link names, as soon as that panel has drawn, so a
 * notification lands on the graph that fired.
 */
function useScrollToPanel(panel: PanelId | null): void {
  const done = useRef(false);
  useEffect(() => {
    if (done.current || panel === null) return;
    const element = document.querySelector(`[data-panel="${panel}"]:not([data-state="loading"])`);
    if (element !== null) {
      done.current = true;
      element.classList.add('panel-linked');
      element.scrollIntoView({ block: 'start' });
    }
  });
}

/** Renders the three big graphs and the collapsible rows. */
export function DashboardView(props: DashboardViewProps): JSX.Element {
  const { queries } = props;
  useScrollToPanel(props.panel);
  const noCalls =
    queries.summaryByModel.data?.groups.every((group) => group.requests === 0) === true;
  return (
    <>
      {noCalls && (
        <OnboardingNotice
          info={
            queries.ingestInfo.data ?? {
              otlpEndpoint: DEFAULT_OTLP_ENDPOINT,
              otlpTracesUrl: `${DEFAULT_OTLP_ENDPOINT}/v1/traces`,
            }
          }
          filtered={props.filtered}
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
        <CostPanel
          cost={queries.cost}
          projection={queries.projection}
          seriesByModel={queries.seriesByModel}
        />
      </div>
      <DashboardRows
        scope={props.scope}
        scopeKey={props.scopeKey}
        seriesByModel={queries.seriesByModel}
        urlPanel={props.panel}
        onPanelChange={props.onPanelChange}
        costBreakdown={props.costBreakdown}
        onCostBreakdownChange={props.onCostBreakdownChange}
      />
    </>
  );
}
