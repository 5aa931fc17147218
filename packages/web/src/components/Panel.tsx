import type { ComponentChildren, JSX } from 'preact';
import type { ApiError } from '../api/api-error.ts';
import { AlarmBadge } from './AlarmBadge.tsx';

export type PanelState = 'loading' | 'ready' | 'empty' | 'error';

export interface PanelProps {
  panelId: string;
  title: string;
  description: string;
  state: PanelState;
  /** The number for the whole window, shown large next to the title. */
  headline?: ComponentChildren;
  seriesCount?: number;
  pointCount?: number;
  error?: Error;
  emptyMessage?: string;
  children?: ComponentChildren;
}

/**
 * Frames one graph or table with its title, description and headline. `data-panel` and
 * `data-state` are stable hooks for tests and scripts; the counts appear once data is drawn.
 */
export function Panel(props: PanelProps): JSX.Element {
  const ready = props.state === 'ready';
  return (
    <section
      class={`panel panel-${props.state}`}
      id={`panel-${props.panelId}`}
      data-panel={props.panelId}
      data-state={props.state}
      data-series-count={ready ? String(props.seriesCount ?? 0) : undefined}
      data-point-count={ready ? String(props.pointCount ?? 0) : undefined}
    >
      <header class="panel-header">
        <div class="panel-titles">
          <h2 class="panel-title">{props.title}</h2>
          <p class="panel-description">{props.description}</p>
          <AlarmBadge panelId={props.panelId} />
        </div>
        {ready && props.headline !== undefined && (
          <div class="panel-headline">{props.headline}</div>
        )}
      </header>
      <PanelBody {...props} />
    </section>
  );
}

function PanelBody(props: PanelProps): JSX.Element {
  if (props.state === 'error') {
    return <PanelError error={props.error} />;
  }
  if (props.state === 'empty') {
    return <p class="panel-message">{props.emptyMessage ?? 'No LLM calls in this time range.'}</p>;
  }
  if (props.state === 'loading') {
    return <p class="panel-message panel-loading">Loading…</p>;
  }
  return <div class="panel-body">{props.children}</div>;
}

function PanelError({ error }: { error: Error | undefined }): JSX.Element {
  const code = (error as ApiError | undefined)?.code;
  return (
    <div class="panel-message panel-error-message" role="alert">
      <strong>Query failed{code === undefined ? '' : ` (${code})`}:</strong>{' '}
      {error?.message ?? 'unknown error'}
    </div>
  );
}
