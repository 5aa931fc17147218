import type { JSX } from 'preact';
import type { View } from '../state/views.ts';

const VIEW_LABELS: Readonly<Record<View, string>> = {
  dashboard: 'Dashboard',
  traces: 'Traces',
  rules: 'Alert rules',
  experiments: 'Experiments',
  registry: 'Models',
};

export interface ViewTabsProps {
  view: View;
  onChange: (view: View) => void;
}

/** Switches between the dashboard, the trace explorer and the rules page. */
export function ViewTabs(props: ViewTabsProps): JSX.Element {
  return (
    <nav class="view-tabs" aria-label="Pages">
      {(Object.keys(VIEW_LABELS) as View[]).map((view) => (
        <a
          key={view}
          href={view === 'dashboard' ? '?' : `?view=${view}`}
          class={`view-tab${view === props.view ? ' active' : ''}`}
          aria-current={view === props.view ? 'page' : undefined}
          data-view={view}
          onClick={(event) => {
            event.preventDefault();
            props.onChange(view);
          }}
        >
          {VIEW_LABELS[view]}
        </a>
      ))}
    </nav>
  );
}
