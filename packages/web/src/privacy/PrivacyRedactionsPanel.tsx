import type { JSX } from 'preact';
import { Panel } from '../components/Panel.tsx';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import { formatCount } from '../lib/format.ts';
import { fetchPrivacyStats, type PrivacyStatsResponse } from './privacy-client.ts';
import { RedactionTables } from './RedactionTables.tsx';
import { isEmptyStats, redactedValues } from './redaction-table.ts';

export interface PrivacyRedactionsPanelProps {
  /** Changes whenever the scope or refresh tick changes, so the panel fetches again. */
  scopeKey: string;
}

export const PRIVACY_PANEL_ID = 'privacy-redactions';
export const PRIVACY_PANEL_TITLE = 'Privacy: redactions';
const EMPTY_MESSAGE =
  'Nothing has passed through redaction in this project since the server started. ' +
  'Each count here is a value that the server replaced with a [REDACTED:<detector>] marker, ' +
  'an attribute it removed by the deny list, a user id it replaced by a pseudonym, or content it ' +
  'dropped, hashed or truncated, before storing the span, log record or metric point.';

function panelDescription(stats: PrivacyStatsResponse | undefined): string {
  const since = stats === undefined ? 'the server started' : `${stats.since} (server start)`;
  return (
    `Values the server replaced or removed in this project's data before storage, counted since ${since}. ` +
    'The time range and filters do not apply.'
  );
}

/**
 * Shows the caller's project's redaction counts from `GET /api/v1/privacy/stats`:
 * totals per detector and a table per service. It mounts only while its row is open.
 */
export function PrivacyRedactionsPanel(props: PrivacyRedactionsPanelProps): JSX.Element {
  const stats = useApiQuery(fetchPrivacyStats, `privacy-stats:${props.scopeKey}`);
  const frame = {
    panelId: PRIVACY_PANEL_ID,
    title: PRIVACY_PANEL_TITLE,
    description: panelDescription(stats.data),
  };
  if (stats.error !== undefined) {
    return <Panel {...frame} state="error" error={stats.error} />;
  }
  if (stats.data === undefined) {
    return <Panel {...frame} state="loading" />;
  }
  if (isEmptyStats(stats.data)) {
    return <Panel {...frame} state="empty" emptyMessage={EMPTY_MESSAGE} />;
  }
  return (
    <Panel
      {...frame}
      state="ready"
      headline={
        <>
          <span class="headline-value">{formatCount(redactedValues(stats.data.totals))}</span>
          <span class="headline-label">values redacted</span>
        </>
      }
      seriesCount={stats.data.services.length}
      pointCount={stats.data.services.length}
    >
      <RedactionTables stats={stats.data} />
    </Panel>
  );
}
