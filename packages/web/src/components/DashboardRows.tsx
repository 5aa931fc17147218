import type { ComponentChildren, JSX } from 'preact';
import type { QueryScope } from '../api/client.ts';
import type { TimeseriesResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { useOpenRows } from '../hooks/useOpenRows.ts';
import { useRowQueries } from '../hooks/useRowQueries.ts';
import { PRIVACY_PANEL_TITLE, PrivacyRedactionsPanel } from '../privacy/PrivacyRedactionsPanel.tsx';
import type { CostBreakdown } from '../state/cost-breakdown.ts';
import { isRowId, type PanelId, type RowId } from '../state/rows.ts';
import { CollapsibleRow } from './CollapsibleRow.tsx';
import { CostBreakdownPanel } from './CostBreakdownPanel.tsx';
import { InflightTtftPanel } from './InflightTtftPanel.tsx';
import { ModelVersionsPanel } from './ModelVersionsPanel.tsx';
import { QualityPanel } from './QualityPanel.tsx';
import { TokensPanel } from './TokensPanel.tsx';

export interface DashboardRowsProps {
  scope: QueryScope;
  /** Changes whenever the scope or refresh tick changes, so open rows fetch again. */
  scopeKey: string;
  seriesByModel: QueryResult<TimeseriesResponse>;
  urlPanel: PanelId | null;
  onPanelChange: (panel: PanelId | null) => void;
  costBreakdown: CostBreakdown;
  onCostBreakdownChange: (breakdown: CostBreakdown) => void;
}

const ROW_TITLES: Readonly<Record<RowId, string>> = {
  'tokens-by-model': 'Tokens per hour by model',
  'tokens-by-feature': 'Tokens per hour by feature',
  'cost-by-tenant': 'Cost by tenant or feature, against budget',
  quality: 'Quality scores',
  'inflight-ttft': 'In-flight requests and time to first token',
  'model-versions': 'Compare registered model versions',
  'privacy-redactions': PRIVACY_PANEL_TITLE,
};

/** Renders the collapsible rows under the big graphs. A closed row sends no queries. */
export function DashboardRows(props: DashboardRowsProps): JSX.Element {
  const [openRows, toggle] = useOpenRows(props.urlPanel, props.onPanelChange);
  const queries = useRowQueries(props.scope, props.scopeKey, openRows, props.costBreakdown);
  const row = (rowId: RowId, content: ComponentChildren): JSX.Element => (
    <CollapsibleRow
      rowId={rowId}
      title={ROW_TITLES[rowId]}
      open={openRows.has(rowId)}
      onToggle={(id) => isRowId(id) && toggle(id)}
    >
      {content}
    </CollapsibleRow>
  );

  return (
    <section class="rows" aria-label="More panels">
      {row(
        'tokens-by-model',
        <TokensPanel
          panelId="tokens-by-model"
          title={ROW_TITLES['tokens-by-model']}
          dimension="model"
          series={props.seriesByModel}
        />,
      )}
      {row(
        'tokens-by-feature',
        <TokensPanel
          panelId="tokens-by-feature"
          title={ROW_TITLES['tokens-by-feature']}
          dimension="feature"
          series={queries.featureSeries}
        />,
      )}
      {row(
        'cost-by-tenant',
        <CostBreakdownPanel
          breakdown={props.costBreakdown}
          onBreakdownChange={props.onCostBreakdownChange}
          summary={queries.breakdownSummary}
          projection={queries.breakdownProjection}
        />,
      )}
      {row(
        'quality',
        <QualityPanel series={queries.scoreSeries} baseline={queries.scoreBaseline} />,
      )}
      {row('inflight-ttft', <InflightTtftPanel inflight={queries.inflight} ttft={queries.ttft} />)}
      {row('model-versions', <ModelVersionsPanel scope={props.scope} scopeKey={props.scopeKey} />)}
      {row('privacy-redactions', <PrivacyRedactionsPanel scopeKey={props.scopeKey} />)}
    </section>
  );
}
