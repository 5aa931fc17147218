/**
 * Address-bar state of the experiment and registry pages:
 * `experiment`, `runFilter` (MLflow filter syntax), `orderBy` (an MLflow
 * order-by clause), `pageToken`, `compare` (comma-separated run IDs),
 * `run` and `artifact` (the artifact browser), `registeredModel`.
 */
export interface TrackingUrlState {
  experimentId: string | null;
  runFilter: string;
  orderBy: string | null;
  pageToken: string | null;
  compareRunIds: string[];
  artifactRunId: string | null;
  artifactPath: string | null;
  registeredModel: string | null;
}

export const EMPTY_TRACKING_STATE: Readonly<TrackingUrlState> = Object.freeze({
  experimentId: null,
  runFilter: '',
  orderBy: null,
  pageToken: null,
  compareRunIds: [],
  artifactRunId: null,
  artifactPath: null,
  registeredModel: null,
});

const RUN_ID = /^[0-9a-zA-Z_-]{1,64}$/;
const MAX_TEXT_CHARS = 500;
const MAX_COMPARED_RUNS = 10;

function text(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  return value === null || value === '' ? null : value.slice(0, MAX_TEXT_CHARS);
}

/** Reads the tracking fields; malformed values fall back to empty, so old links still open. */
export function parseTrackingState(params: URLSearchParams): TrackingUrlState {
  const experimentId = text(params, 'experiment');
  const runId = text(params, 'run');
  return {
    experimentId: experimentId !== null && /^\d{1,19}$/.test(experimentId) ? experimentId : null,
    runFilter: text(params, 'runFilter') ?? '',
    orderBy: text(params, 'orderBy'),
    pageToken: text(params, 'pageToken'),
    compareRunIds: (params.get('compare') ?? '')
      .split(',')
      .filter((id) => RUN_ID.test(id))
      .slice(0, MAX_COMPARED_RUNS),
    artifactRunId: runId !== null && RUN_ID.test(runId) ? runId : null,
    artifactPath: text(params, 'artifact'),
    registeredModel: text(params, 'registeredModel'),
  };
}

/** Writes the non-empty tracking fields into `params`. */
export function writeTrackingState(params: URLSearchParams, state: TrackingUrlState): void {
  const fields: [string, string | null][] = [
    ['experiment', state.experimentId],
    ['runFilter', state.runFilter === '' ? null : state.runFilter],
    ['orderBy', state.orderBy],
    ['pageToken', state.pageToken],
    ['compare', state.compareRunIds.length === 0 ? null : state.compareRunIds.join(',')],
    ['run', state.artifactRunId],
    ['artifact', state.artifactPath],
    ['registeredModel', state.registeredModel],
  ];
  for (const [name, value] of fields) if (value !== null) params.set(name, value);
}
