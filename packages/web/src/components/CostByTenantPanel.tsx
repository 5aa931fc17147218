import type { JSX } from 'preact';
import type { SummaryResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { buildTenantCostTable, type TenantCostTable } from '../lib/cost-math.ts';
import { formatCount, formatPercent, formatUsd } from '../lib/format.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { keyLabel } from '../lib/series-keys.ts';
import { Panel } from './Panel.tsx';

export interface CostByTenantPanelProps {
  summaryByTenant: QueryResult<SummaryResponse>;
}

const TITLE = 'Cost by tenant';
const DESCRIPTION =
  'Calls and spend per tenant over the window; the total row is the sum of the rows.';

/** Renders cost per tenant as a table, with each tenant's share of the total. */
export function CostByTenantPanel(props: CostByTenantPanelProps): JSX.Element {
  const status = combineQueries(props.summaryByTenant);
  const frame = { panelId: 'cost-by-tenant', title: TITLE, description: DESCRIPTION };
  if (status.kind !== 'ready') {
    const error = status.kind === 'error' ? status.error : undefined;
    return <Panel {...frame} state={status.kind} error={error} />;
  }
  const table = buildTenantCostTable(status.data[0].groups);
  if (table.rows.length === 0 || table.totalRequests === 0) {
    return <Panel {...frame} state="empty" />;
  }
  return (
    <Panel
      {...frame}
      state="ready"
      headline={
        <>
          <span class="headline-value">{formatUsd(table.totalCostUsd)}</span>
          <span class="headline-label">across {formatCount(table.rows.length)} tenants</span>
        </>
      }
      seriesCount={table.rows.length}
      pointCount={table.rows.length}
    >
      <TenantTable table={table} />
      {table.totalUnpricedRequests > 0 && (
        <p class="panel-note">
          {formatCount(table.totalUnpricedRequests)} calls of unpriced models are not in this cost.
        </p>
      )}
    </Panel>
  );
}

function TenantTable({ table }: { table: TenantCostTable }): JSX.Element {
  return (
    <table class="data-table">
      <thead>
        <tr>
          <th scope="col">Tenant</th>
          <th scope="col">Requests</th>
          <th scope="col">Cost</th>
          <th scope="col">Share of total</th>
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row) => (
          <tr key={row.tenant ?? ''}>
            <th scope="row">{keyLabel(row.tenant, 'tenant')}</th>
            <td>{formatCount(row.requests)}</td>
            <td>{formatUsd(row.costUsd)}</td>
            <td>{formatPercent(row.sharePercent)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td>{formatCount(table.totalRequests)}</td>
          <td>{formatUsd(table.totalCostUsd)}</td>
          <td>{table.totalCostUsd > 0 ? '100%' : formatPercent(null)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
