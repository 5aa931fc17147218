import type { JSX } from 'preact';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import { metricValue, paramOf, runLabel, unionKeys } from './format-tracking.ts';
import { StepChart, type StepSeries } from './StepChart.tsx';
import { getMetricHistory, getRun } from './tracking-client.ts';
import type { RunJson } from './tracking-types.ts';

export interface RunCompareProps {
  runIds: string[];
  onBack: () => void;
}

interface Comparison {
  runs: RunJson[];
  /** Per metric key, one series per run that logged it. */
  charts: { key: string; series: StepSeries[] }[];
}

async function loadComparison(runIds: string[], signal: AbortSignal): Promise<Comparison> {
  const runs = (await Promise.all(runIds.map((runId) => getRun(runId, signal)))).map(
    (body) => body.run,
  );
  const charts = await Promise.all(
    unionKeys(runs, 'metrics').map(async (key) => {
      const series = await Promise.all(
        runs.map(async (run) => {
          const history = await getMetricHistory(run.info.run_id, key, signal);
          const points = (history.metrics ?? []).map((metric): [number, number] => [
            Number(metric.step),
            metricValue(metric),
          ]);
          return { label: runLabel(run), points };
        }),
      );
      return { key, series: series.filter((item) => item.points.length > 0) };
    }),
  );
  return { runs, charts };
}

function ParamTable(props: { runs: RunJson[] }): JSX.Element {
  const keys = unionKeys(props.runs, 'params');
  return (
    <table class="compare-params">
      <thead>
        <tr>
          <th>Parameter</th>
          {props.runs.map((run) => (
            <th key={run.info.run_id}>{runLabel(run)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const values = props.runs.map((run) => paramOf(run, key));
          const differs = new Set(values).size > 1;
          return (
            <tr
              key={key}
              class={differs ? 'param-differs' : undefined}
              data-param={key}
              data-differs={String(differs)}
            >
              <th scope="row">{key}</th>
              {values.map((value, index) => (
                <td key={props.runs[index]!.info.run_id}>{value ?? '–'}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Compares two or more runs: their params, differences highlighted, and each metric across steps. */
export function RunCompare(props: RunCompareProps): JSX.Element {
  const result = useApiQuery(
    (signal) => loadComparison(props.runIds, signal),
    props.runIds.join(','),
  );
  return (
    <section class="run-compare" aria-label="Run comparison">
      <button type="button" class="link-button" onClick={props.onBack}>
        ← Back to runs
      </button>
      <h2>Comparing {props.runIds.length} runs</h2>
      {result.error !== undefined && (
        <p class="tracking-error" role="alert">
          {result.error.message}
        </p>
      )}
      {result.data !== undefined && (
        <>
          <ParamTable runs={result.data.runs} />
          <div class="compare-charts">
            {result.data.charts.map((chart) => (
              <StepChart key={chart.key} title={chart.key} series={chart.series} heightPx={220} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
