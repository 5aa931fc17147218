import { ProtoWriter } from '../forward/proto-writer.ts';
import { formatSampleValue } from './exposition.ts';
import { HistogramFamily, type MetricFamily, type SeriesLabels } from './metric-family.ts';

/** One remote-write series: labels sorted by name, `__name__` included, and one sample. */
export interface RemoteWriteSeries {
  labels: [string, string][];
  value: number;
}

/** Field numbers of the Prometheus remote-write 1.0 `WriteRequest` and its messages. */
const WRITE_REQUEST = { timeseries: 1 } as const;
const TIME_SERIES = { labels: 1, samples: 2 } as const;
const LABEL = { name: 1, value: 2 } as const;
const SAMPLE = { value: 1, timestamp: 2 } as const;

/**
 * Flattens families into the series `/metrics` shows: counters and gauges as
 * they are, histograms as cumulative `_bucket` series with `le`, `_sum` and
 * `_count`. Empty label values are left out, as in the exposition.
 */
export function toRemoteWriteSeries(families: readonly MetricFamily[]): RemoteWriteSeries[] {
  const series: RemoteWriteSeries[] = [];
  for (const family of families) {
    if (family instanceof HistogramFamily) {
      for (const entry of family.series.values()) {
        let cumulative = 0;
        family.bounds.forEach((bound, index) => {
          cumulative += entry.bucketCounts[index]!;
          series.push(
            seriesOf(`${family.name}_bucket`, entry.labels, cumulative, formatSampleValue(bound)),
          );
        });
        series.push(seriesOf(`${family.name}_bucket`, entry.labels, entry.count, '+Inf'));
        series.push(seriesOf(`${family.name}_sum`, entry.labels, entry.sum));
        series.push(seriesOf(`${family.name}_count`, entry.labels, entry.count));
      }
      continue;
    }
    for (const entry of family.series.values())
      series.push(seriesOf(family.name, entry.labels, entry.value));
  }
  return series;
}

function seriesOf(
  name: string,
  labels: SeriesLabels,
  value: number,
  le?: string,
): RemoteWriteSeries {
  const pairs: [string, string][] = Object.entries(labels).filter(
    ([, labelValue]) => labelValue !== '',
  );
  pairs.push(['__name__', name]);
  if (le !== undefined) pairs.push(['le', le]);
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { labels: pairs, value };
}

/** Encodes a `WriteRequest` with one sample per series, all at `timestampMs`. */
export function encodeWriteRequest(
  series: readonly RemoteWriteSeries[],
  timestampMs: number,
): Uint8Array {
  const writer = new ProtoWriter();
  for (const entry of series) {
    writer.message(WRITE_REQUEST.timeseries, (timeSeries) => {
      for (const [name, value] of entry.labels) {
        timeSeries.message(TIME_SERIES.labels, (label) => {
          label.stringField(LABEL.name, name);
          label.stringField(LABEL.value, value);
        });
      }
      timeSeries.message(TIME_SERIES.samples, (sample) => {
        sample.doubleField(SAMPLE.value, entry.value);
        sample.varintField(SAMPLE.timestamp, timestampMs);
      });
    });
  }
  return writer.finish();
}
