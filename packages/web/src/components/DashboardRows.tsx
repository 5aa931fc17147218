import type { ComponentChildren, JSX } from 'preact';
import type { QueryScope } from '../api/client.ts';
import type { TimeseriesResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { useOpenRows } from '../hooks/useOpenRows.ts';
import { useRowQueries } from '../hooks/useRowQueries.ts';
import { isRowId, type PanelId, type RowId } from '../state/rows.ts';
import { CollapsibleRow } from './CollapsibleRow.tsx';
import { CostByTenantPanel } from './CostByTenantPanel.tsx';
import { InflightTtftPanel } from './InflightTtftPanel.tsx';
import { QualityPanel } from './QualityPanel.tsx';
import { TokensPanel } from './TokensPanel.tsx';

export interface DashboardRowsProps {
  scope: QueryScope;
  /** Changes whenever the scope or refresh tick changes, so open rows fetch again. */
  scopeKey: string;
  seriesByModel: QueryResult<TimeseriesResponse>;
  urlPanel: PanelId | null;
  onPanelChange: (panel: PanelId | null) => void;
}

const ROW_TITLES: Readonly<Record<RowId, string>> = {
  'tokens-by-model': 'Tokens per hour by model',
  'tokens-by-feature': 'Tokens per hour by feature',
  'cost-by-tenant': 'Cost by tenant against budget',
  quality: 'Quality scores',
  'inflight-ttft': 'In-flight requests and time to first token',
};

/** Renders the collapsible rows under the big graphs. A closed row sends no queries. */
export function DashboardRows(props: DashboardRowsProps): JSX.Element {
  const [openRows, toggle] = useOpenRows(props.urlPanel, props.onPanelChange);
  const queries = useRowQueries(props.scope, props.scopeKey, openRows);
  const windowMs = props.scope.range.toMs - props.scope.range.fromMs;
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
        <CostByTenantPanel
          summaryByTenant={queries.tenantSummary}
          budgets={queries.budgets}
          windowMs={windowMs}
        />,
      )}
      {row(
        'quality',
        <QualityPanel series={queries.scoreSeries} baseline={queries.scoreBaseline} />,
      )}
      {row('inflight-ttft', <InflightTtftPanel inflight={queries.inflight} ttft={queries.ttft} />)}
    </section>
  );
}
