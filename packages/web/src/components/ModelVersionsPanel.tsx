import type { JSX } from 'preact';
import { fetchSummary, type QueryScope } from '../api/client.ts';
import { fetchScoreSummary } from '../api/panel-client.ts';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import { formatCount, formatDurationMs, formatUsd } from '../lib/format.ts';
import { buildModelVersionTable, type ModelVersionRow } from '../lib/model-version-rows.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { Panel } from './Panel.tsx';

export interface ModelVersionsPanelProps {
  scope: QueryScope;
  /** Changes whenever the scope or refresh tick changes, so the panel fetches again. */
  scopeKey: string;
}

const PANEL_ID = 'model-versions';
const TITLE = 'Compare registered model versions';
const DESCRIPTION =
  'Requests, latency, cost and score means per registered model version, labelled with its stage and aliases in the model registry.';
const EMPTY_MESSAGE =
  'No calls in this time range. Set foghorn.registered_model.name and foghorn.registered_model.version on the root span or the resource to compare versions.';

/**
 * Compares registered model versions side by side. It mounts only while its row is open,
 * so its two queries run only then.
 */
export function ModelVersionsPanel(props: ModelVersionsPanelProps): JSX.Element {
  const summary = useApiQuery(
    (signal) => fetchSummary(props.scope, 'registeredModel', signal),
    `versions:${props.scopeKey}`,
  );
  const scores = useApiQuery(
    (signal) => fetchScoreSummary(props.scope, 'registeredModel', signal),
    `version-scores:${props.scopeKey}`,
  );
  const status = combineQueries(summary, scores);
  const frame = { panelId: PANEL_ID, title: TITLE, description: DESCRIPTION };
  if (status.kind !== 'ready') {
    const error = status.kind === 'error' ? status.error : undefined;
    return <Panel {...frame} state={status.kind} error={error} />;
  }
  const [summaryData, scoreData] = status.data;
  const table = buildModelVersionTable(summaryData.groups, scoreData.groups);
  if (table.rows.length === 0) {
    return <Panel {...frame} state="empty" emptyMessage={EMPTY_MESSAGE} />;
  }
  const versionCount = table.rows.filter((row) => row.key !== null).length;
  return (
    <Panel
      {...frame}
      state="ready"
      headline={
        <>
          <span class="headline-value">{formatCount(versionCount)}</span>
          <span class="headline-label">registered versions</span>
        </>
      }
      seriesCount={table.rows.length}
      pointCount={table.rows.length}
    >
      <table class="data-table" data-table="model-versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Requests</th>
            <th scope="col">Errors</th>
            <th scope="col">Latency p50</th>
            <th scope="col">Latency p95</th>
            <th scope="col">Cost</th>
            {table.scoreNames.map((name) => (
              <th scope="col" key={name}>
                {name} (mean)
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <VersionRow key={row.key ?? ''} row={row} scoreNames={table.scoreNames} />
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

function VersionRow(props: { row: ModelVersionRow; scoreNames: string[] }): JSX.Element {
  const { row } = props;
  return (
    <tr data-version={row.key ?? ''} data-stage={row.stage ?? ''}>
      <th scope="row">{row.label}</th>
      <td data-cell="requests">{formatCount(row.requests)}</td>
      <td data-cell="errors">{formatCount(row.errors)}</td>
      <td data-cell="p50">{formatDurationMs(row.p50Ms)}</td>
      <td data-cell="p95">{formatDurationMs(row.p95Ms)}</td>
      <td data-cell="cost">{formatUsd(row.costUsd)}</td>
      {props.scoreNames.map((name) => (
        <td data-cell={`score-${name}`} key={name}>
          {row.scoreMeans[name] === undefined ? '—' : row.scoreMeans[name]!.toFixed(3)}
        </td>
      ))}
    </tr>
  );
}
