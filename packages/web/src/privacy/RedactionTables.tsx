import type { JSX } from 'preact';
import { formatCount } from '../lib/format.ts';
import type { PrivacyStatsResponse, RedactionCounters } from './privacy-client.ts';
import { detectorTotals, redactedValues, servicesByRedactions } from './redaction-table.ts';
import './privacy.css';

/** Fields of the counters besides the per-detector values. */
type CountField = Exclude<keyof RedactionCounters, 'byDetector'>;

/** The counters besides the detectors, with their labels, in the order shown. */
const OTHER_COUNTERS: readonly [CountField, string][] = [
  ['spans', 'Spans scanned'],
  ['logRecords', 'Log records scanned'],
  ['metricPoints', 'Metric points scanned'],
  ['deniedAttributes', 'Attributes removed by the deny list'],
  ['pseudonymizedValues', 'User ids replaced by a pseudonym'],
  ['droppedContent', 'Content values dropped'],
  ['hashedContent', 'Content values hashed'],
  ['truncatedContent', 'Content values truncated'],
];

/** Renders the per-detector totals, the other totals and the per-service table as text. */
export function RedactionTables(props: { stats: PrivacyStatsResponse }): JSX.Element {
  const detectors = detectorTotals(props.stats.totals).map((total) => total.detector);
  return (
    <>
      <div class="redaction-summary">
        <DetectorTable totals={props.stats.totals} />
        <OtherCountersTable totals={props.stats.totals} />
      </div>
      <ServiceTable stats={props.stats} detectors={detectors} />
    </>
  );
}

function DetectorTable(props: { totals: RedactionCounters }): JSX.Element {
  const totals = detectorTotals(props.totals);
  return (
    <table class="data-table" data-table="redaction-detectors">
      <caption>Values redacted per detector</caption>
      <thead>
        <tr>
          <th scope="col">Detector</th>
          <th scope="col">Values</th>
        </tr>
      </thead>
      <tbody>
        {totals.length === 0 && (
          <tr>
            <td colSpan={2}>No detector has matched yet.</td>
          </tr>
        )}
        {totals.map((total) => (
          <tr key={total.detector} data-detector={total.detector}>
            <th scope="row">{total.detector}</th>
            <td data-cell="values">{formatCount(total.values)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">All detectors</th>
          <td data-cell="values">{formatCount(redactedValues(props.totals))}</td>
        </tr>
      </tfoot>
    </table>
  );
}

function OtherCountersTable(props: { totals: RedactionCounters }): JSX.Element {
  return (
    <table class="data-table" data-table="redaction-totals">
      <caption>Other counts</caption>
      <tbody>
        {OTHER_COUNTERS.map(([field, label]) => (
          <tr key={field} data-counter={field}>
            <th scope="row">{label}</th>
            <td data-cell="count">{formatCount(props.totals[field])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ServiceTable(props: { stats: PrivacyStatsResponse; detectors: string[] }): JSX.Element {
  return (
    <table class="data-table" data-table="redaction-services">
      <caption>Per service (services after the first 1000 share the row _other)</caption>
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Spans</th>
          <th scope="col">Log records</th>
          <th scope="col">Metric points</th>
          {props.detectors.map((detector) => (
            <th scope="col" key={detector}>
              {detector}
            </th>
          ))}
          <th scope="col">Denied attributes</th>
          <th scope="col">Pseudonymized</th>
        </tr>
      </thead>
      <tbody>
        {servicesByRedactions(props.stats).map((entry) => (
          <tr key={entry.service} data-service={entry.service}>
            <th scope="row">{entry.service}</th>
            <td data-cell="spans">{formatCount(entry.spans)}</td>
            <td data-cell="logRecords">{formatCount(entry.logRecords)}</td>
            <td data-cell="metricPoints">{formatCount(entry.metricPoints)}</td>
            {props.detectors.map((detector) => (
              <td key={detector} data-cell={`detector-${detector}`}>
                {formatCount(entry.byDetector[detector] ?? 0)}
              </td>
            ))}
            <td data-cell="deniedAttributes">{formatCount(entry.deniedAttributes)}</td>
            <td data-cell="pseudonymizedValues">{formatCount(entry.pseudonymizedValues)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
