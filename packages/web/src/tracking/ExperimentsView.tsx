import type { JSX } from 'preact';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import { ArtifactBrowser } from './ArtifactBrowser.tsx';
import { RunCompare } from './RunCompare.tsx';
import { RunsTable } from './RunsTable.tsx';
import { searchExperiments } from './tracking-client.ts';
import type { TrackingUrlState } from './tracking-url-state.ts';
import './tracking.css';

export interface ExperimentsViewProps {
  state: TrackingUrlState;
  onChange: (change: Partial<TrackingUrlState>) => void;
}

function ExperimentList(props: ExperimentsViewProps): JSX.Element {
  const result = useApiQuery((signal) => searchExperiments(signal), 'experiments');
  const experiments = result.data?.experiments ?? [];
  return (
    <nav class="experiment-list" aria-label="Experiments">
      <h2>Experiments</h2>
      {result.error !== undefined && (
        <p class="tracking-error" role="alert">
          {result.error.message}
        </p>
      )}
      <ul>
        {experiments.map((experiment) => (
          <li key={experiment.experiment_id}>
            <button
              type="button"
              class={`link-button${experiment.experiment_id === props.state.experimentId ? ' selected' : ''}`}
              data-experiment-id={experiment.experiment_id}
              onClick={() =>
                props.onChange({
                  experimentId: experiment.experiment_id,
                  pageToken: null,
                  orderBy: null,
                  runFilter: '',
                  compareRunIds: [],
                  artifactRunId: null,
                  artifactPath: null,
                })
              }
            >
              {experiment.name}
            </button>
          </li>
        ))}
      </ul>
      {!result.loading && experiments.length === 0 && <p class="muted">No experiments yet.</p>}
    </nav>
  );
}

function ExperimentDetail(props: ExperimentsViewProps): JSX.Element {
  const { state, onChange } = props;
  if (state.compareRunIds.length >= 2)
    return (
      <RunCompare runIds={state.compareRunIds} onBack={() => onChange({ compareRunIds: [] })} />
    );
  if (state.artifactRunId !== null)
    return (
      <ArtifactBrowser
        runId={state.artifactRunId}
        selectedPath={state.artifactPath}
        onSelect={(artifactPath) => onChange({ artifactPath })}
        onBack={() => onChange({ artifactRunId: null, artifactPath: null })}
      />
    );
  if (state.experimentId === null)
    return <p class="muted">Choose an experiment to list its runs.</p>;
  return (
    <RunsTable
      key={state.experimentId}
      state={state}
      experimentId={state.experimentId}
      onChange={onChange}
    />
  );
}

/** Renders the experiments page: the experiment list, then the runs table, a run comparison or an artifact browser. */
export function ExperimentsView(props: ExperimentsViewProps): JSX.Element {
  return (
    <div class="tracking-page">
      <ExperimentList {...props} />
      <div class="tracking-main">
        <ExperimentDetail {...props} />
      </div>
    </div>
  );
}
