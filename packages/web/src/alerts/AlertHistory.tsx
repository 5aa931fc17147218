import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { fetchAlertHistory } from '../api/alert-client.ts';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import { formatLabels, formatTimeMs } from './alert-format.ts';

const HOUR_MS = 3_600_000;
const WINDOWS = [
  { label: 'last hour', windowMs: HOUR_MS },
  { label: 'last 24 hours', windowMs: 24 * HOUR_MS },
  { label: 'last 7 days', windowMs: 7 * 24 * HOUR_MS },
] as const;

export interface AlertHistoryProps {
  /** One rule's changes, or every rule's when null. */
  ruleId: string | null;
  /** Changes whenever the caller wants the list loaded again. */
  reloadKey: number;
}

/** Lists state changes of alert instances (pending, firing, resolved), newest first. */
export function AlertHistory(props: AlertHistoryProps): JSX.Element {
  const [windowMs, setWindowMs] = useState<number>(24 * HOUR_MS);
  const [reloads, setReloads] = useState(0);
  const query = useApiQuery(
    (signal) => fetchAlertHistory(props.ruleId, windowMs, signal),
    `history:${props.ruleId ?? ''}:${windowMs}:${props.reloadKey}:${reloads}`,
  );
  const entries = query.data?.history ?? [];
  let state = 'ready';
  if (query.error !== undefined) state = 'error';
  else if (query.data === undefined) state = 'loading';
  else if (entries.length === 0) state = 'empty';

  return (
    <section class="alert-history" data-testid="alert-history" data-state={state}>
      <div class="alert-toolbar">
        <h3 class="rule-editor-title">
          {props.ruleId === null ? 'Alert history' : `History of ${props.ruleId}`}
        </h3>
        <select
          aria-label="History window"
          value={String(windowMs)}
          onChange={(event) => setWindowMs(Number(event.currentTarget.value))}
        >
          {WINDOWS.map((choice) => (
            <option key={choice.windowMs} value={String(choice.windowMs)}>
              {choice.label}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => setReloads((count) => count + 1)}>
          Reload
        </button>
      </div>
      {state === 'error' && (
        <p class="panel-message panel-error-message" role="alert">
          Alert history failed to load: {query.error?.message}
        </p>
      )}
      {state === 'empty' && <p class="panel-message">No state changes in this window.</p>}
      {entries.length > 0 && (
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Rule</th>
              <th scope="col">Change</th>
              <th scope="col">Labels</th>
              <th scope="col">Value</th>
              <th scope="col">Threshold</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr
                key={`${entry.atMs}:${entry.ruleId}:${entry.fingerprint}:${entry.toState}`}
                data-history-rule={entry.ruleId}
                data-history-state={entry.toState}
                data-history-at={entry.atMs}
              >
                <td>
                  <time dateTime={entry.at}>{formatTimeMs(entry.atMs)}</time>
                </td>
                <td>
                  <code>{entry.ruleId}</code>
                </td>
                <td>
                  {entry.fromState} → {entry.toState}
                </td>
                <td>{formatLabels(entry.labels)}</td>
                <td>{String(entry.value)}</td>
                <td>{String(entry.threshold)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
