import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { expireSilence, fetchSilences } from '../api/alert-client.ts';
import type { Silence } from '../api/types.ts';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import { formatTimeMs } from './alert-format.ts';

export interface SilencesListProps {
  /** Changes whenever the caller wants the list loaded again. */
  reloadKey: number;
}

function matcherText(silence: Silence): string {
  return silence.matchers
    .map((matcher) => `${matcher.name}${matcher.operator}${JSON.stringify(matcher.value)}`)
    .join(', ');
}

/** Lists the active and pending silences of the project, each with an expire button. */
export function SilencesList(props: SilencesListProps): JSX.Element {
  const [reloads, setReloads] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const query = useApiQuery(
    (signal) => fetchSilences(signal),
    `silences:${props.reloadKey}:${reloads}`,
  );
  const silences = (query.data?.silences ?? [])
    .filter((silence) => silence.state !== 'expired')
    .sort((a, b) => a.endsAtMs - b.endsAtMs);

  const onExpire = async (id: string): Promise<void> => {
    try {
      await expireSilence(id);
      setError(null);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
    setReloads((count) => count + 1);
  };

  return (
    <section
      class="silences"
      data-testid="silences"
      data-state={query.data === undefined ? 'loading' : 'ready'}
    >
      <h3 class="rule-editor-title">Active silences</h3>
      {query.error !== undefined && (
        <p class="panel-message panel-error-message" role="alert">
          Silences failed to load: {query.error.message}
        </p>
      )}
      {error !== null && (
        <p class="panel-message panel-error-message" role="alert">
          {error}
        </p>
      )}
      {query.data !== undefined && silences.length === 0 && (
        <p class="panel-message">No active silences. Create one from a rule's editor.</p>
      )}
      {silences.length > 0 && (
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">Matchers</th>
              <th scope="col">State</th>
              <th scope="col">Starts</th>
              <th scope="col">Ends</th>
              <th scope="col">Created by</th>
              <th scope="col">Comment</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {silences.map((silence) => (
              <tr key={silence.id} data-silence={silence.id}>
                <td>
                  <code>{matcherText(silence)}</code>
                </td>
                <td>{silence.state}</td>
                <td>{formatTimeMs(silence.startsAtMs)}</td>
                <td>{formatTimeMs(silence.endsAtMs)}</td>
                <td>{silence.createdBy}</td>
                <td>{silence.comment}</td>
                <td>
                  <button type="button" onClick={() => void onExpire(silence.id)}>
                    Expire
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
