import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import {
  formatMetric,
  formatTimeMs,
  metricOf,
  paramOf,
  runLabel,
  unionKeys,
} from './format-tracking.ts';
import { nextOrderBy, sortMark, type RunColumn } from './run-sort.ts';
import { searchRuns } from './tracking-client.ts';
import type { RunJson } from './tracking-types.ts';
import type { TrackingUrlState } from './tracking-url-state.ts';

const PAGE_SIZE = 25;

export interface RunsTableProps {
  state: TrackingUrlState;
  experimentId: string;
  onChange: (change: Partial<TrackingUrlState>) => void;
}

function HeaderCell(props: {
  label: string;
  column: RunColumn;
  orderBy: string | null;
  onSort: (orderBy: string) => void;
}): JSX.Element {
  return (
    <th data-column={`${props.column.kind}:${props.column.key}`}>
      <button
        type="button"
        class="link-button"
        onClick={() => props.onSort(nextOrderBy(props.orderBy, props.column))}
      >
        {props.label}
        {sortMark(props.orderBy, props.column)}
      </button>
    </th>
  );
}

function FilterForm(props: { filter: string; onApply: (filter: string) => void }): JSX.Element {
  const [draft, setDraft] = useState(props.filter);
  return (
    <form
      class="run-filter"
      onSubmit={(event) => {
        event.preventDefault();
        props.onApply(draft.trim());
      }}
    >
      <input
        type="search"
        name="runFilter"
        aria-label="Run filter"
        placeholder="metrics.accuracy > 0.9 and params.model = 'gbm'"
        value={draft}
        onInput={(event) => setDraft(event.currentTarget.value)}
      />
      <button type="submit">Filter</button>
    </form>
  );
}

/** Lists an experiment's runs with a column per param and metric, sorted, filtered and paged by the server. */
export function RunsTable(props: RunsTableProps): JSX.Element {
  const { state, onChange } = props;
  const [selected, setSelected] = useState<string[]>([]);
  const [previousTokens, setPreviousTokens] = useState<(string | null)[]>([]);
  const request = {
    experimentId: props.experimentId,
    filter: state.runFilter,
    orderBy: state.orderBy,
    pageToken: state.pageToken,
    maxResults: PAGE_SIZE,
  };
  const result = useApiQuery((signal) => searchRuns(request, signal), JSON.stringify(request));
  const runs: RunJson[] = result.data?.runs ?? [];
  const params = unionKeys(runs, 'params');
  const metrics = unionKeys(runs, 'metrics');
  const sort = (orderBy: string): void => {
    setPreviousTokens([]);
    onChange({ orderBy, pageToken: null });
  };
  const toggle = (runId: string): void =>
    setSelected((current) =>
      current.includes(runId) ? current.filter((id) => id !== runId) : [...current, runId],
    );

  return (
    <section class="runs" aria-label="Runs">
      <div class="runs-toolbar">
        <FilterForm
          filter={state.runFilter}
          onApply={(runFilter) => {
            setPreviousTokens([]);
            onChange({ runFilter, pageToken: null });
          }}
        />
        <button
          type="button"
          class="compare-button"
          disabled={selected.length < 2}
          onClick={() => onChange({ compareRunIds: selected })}
        >
          Compare {selected.length} runs
        </button>
      </div>
      {result.error !== undefined && (
        <p class="tracking-error" role="alert">
          {result.error.message}
        </p>
      )}
      <div class="table-scroll">
        <table class="runs-table">
          <thead>
            <tr>
              <th aria-label="Select" />
              <HeaderCell
                label="Run"
                column={{ kind: 'attribute', key: 'run_name' }}
                orderBy={state.orderBy}
                onSort={sort}
              />
              <HeaderCell
                label="Status"
                column={{ kind: 'attribute', key: 'status' }}
                orderBy={state.orderBy}
                onSort={sort}
              />
              <HeaderCell
                label="Started"
                column={{ kind: 'attribute', key: 'start_time' }}
                orderBy={state.orderBy}
                onSort={sort}
              />
              {params.map((key) => (
                <HeaderCell
                  key={`p-${key}`}
                  label={`param: ${key}`}
                  column={{ kind: 'param', key }}
                  orderBy={state.orderBy}
                  onSort={sort}
                />
              ))}
              {metrics.map((key) => (
                <HeaderCell
                  key={`m-${key}`}
                  label={`metric: ${key}`}
                  column={{ kind: 'metric', key }}
                  orderBy={state.orderBy}
                  onSort={sort}
                />
              ))}
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.info.run_id} data-run-id={run.info.run_id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${runLabel(run)}`}
                    checked={selected.includes(run.info.run_id)}
                    onChange={() => toggle(run.info.run_id)}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    class="link-button run-link"
                    title="Browse the run's artifacts"
                    onClick={() => onChange({ artifactRunId: run.info.run_id, artifactPath: null })}
                  >
                    {runLabel(run)}
                  </button>
                </td>
                <td>{run.info.status}</td>
                <td>{formatTimeMs(run.info.start_time)}</td>
                {params.map((key) => (
                  <td key={`p-${key}`}>{paramOf(run, key) ?? '–'}</td>
                ))}
                {metrics.map((key) => (
                  <td key={`m-${key}`} class="numeric">
                    {formatMetric(metricOf(run, key))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!result.loading && runs.length === 0 && result.error === undefined && (
        <p class="muted">No runs match.</p>
      )}
      <div class="pager">
        <button
          type="button"
          disabled={previousTokens.length === 0}
          onClick={() => {
            onChange({ pageToken: previousTokens.at(-1) ?? null });
            setPreviousTokens(previousTokens.slice(0, -1));
          }}
        >
          Previous page
        </button>
        <button
          type="button"
          disabled={result.data?.next_page_token === undefined}
          onClick={() => {
            setPreviousTokens([...previousTokens, state.pageToken]);
            onChange({ pageToken: result.data?.next_page_token ?? null });
          }}
        >
          Next page
        </button>
      </div>
    </section>
  );
}
