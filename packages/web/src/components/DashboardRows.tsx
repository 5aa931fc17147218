import type { JSX } from 'preact';
import { fetchSummary, fetchTimeseries, type QueryScope } from '../api/client.ts';
import type { TimeseriesResponse } from '../api/types.ts';
import { useApiQuery, type QueryResult } from '../hooks/useApiQuery.ts';
import { useOpenRows } from '../hooks/useOpenRows.ts';
import { isRowId, type RowId } from '../state/rows.ts';
import { CollapsibleRow } from './CollapsibleRow.tsx';
import { CostByTenantPanel } from './CostByTenantPanel.tsx';
import { TokensPanel } from './TokensPanel.tsx';

export interface DashboardRowsProps {
  scope: QueryScope;
  /** Changes whenever the scope or refresh tick changes, so open rows fetch again. */
  scopeKey: string;
  seriesByModel: QueryResult<TimeseriesResponse>;
  urlPanel: RowId | null;
  onPanelChange: (panel: RowId | null) => void;
}

/** Renders the collapsible rows under the big graphs. A closed row sends no queries. */
export function DashboardRows(props: DashboardRowsProps): JSX.Element {
  const [openRows, toggle] = useOpenRows(props.urlPanel, props.onPanelChange);
  const onToggle = (rowId: string): void => {
    if (isRowId(rowId)) {
      toggle(rowId);
    }
  };
  const featureSeries = useApiQuery(
    (signal) => fetchTimeseries(props.scope, 'feature', signal),
    `feature:${props.scopeKey}`,
    openRows.has('tokens-by-feature'),
  );
  const tenantSummary = useApiQuery(
    (signal) => fetchSummary(props.scope, 'tenant', signal),
    `tenant:${props.scopeKey}`,
    openRows.has('cost-by-tenant'),
  );

  return (
    <section class="rows" aria-label="More panels">
      <CollapsibleRow
        rowId="tokens-by-model"
        title="Tokens per hour by model"
        open={openRows.has('tokens-by-model')}
        onToggle={onToggle}
      >
        <TokensPanel
          panelId="tokens-by-model"
          title="Tokens per hour by model"
          dimension="model"
          series={props.seriesByModel}
        />
      </CollapsibleRow>
      <CollapsibleRow
        rowId="tokens-by-feature"
        title="Tokens per hour by feature"
        open={openRows.has('tokens-by-feature')}
        onToggle={onToggle}
      >
        <TokensPanel
          panelId="tokens-by-feature"
          title="Tokens per hour by feature"
          dimension="feature"
          series={featureSeries}
        />
      </CollapsibleRow>
      <CollapsibleRow
        rowId="cost-by-tenant"
        title="Cost by tenant"
        open={openRows.has('cost-by-tenant')}
        onToggle={onToggle}
      >
        <CostByTenantPanel summaryByTenant={tenantSummary} />
      </CollapsibleRow>
    </section>
  );
}
