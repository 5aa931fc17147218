import { LLM_LABELS as L } from './llm-metric-names.ts';
import { HistogramFamily, ValueFamily, type MetricFamily } from './metric-family.ts';

/**
 * Returns a copy of `family` with only the series whose `project` label is
 * `projectId`. The copy shares the series entries, so it is for rendering only.
 */
export function projectView(family: MetricFamily, projectId: string): MetricFamily {
  const view =
    family instanceof HistogramFamily
      ? new HistogramFamily(family.name, family.help, family.bounds)
      : new ValueFamily(family.name, family.type, family.help);
  for (const [key, entry] of family.series) {
    if (entry.labels[L.project] !== projectId) continue;
    (view.series as Map<string, typeof entry>).set(key, entry);
  }
  return view;
}
