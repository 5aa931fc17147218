import type { ComponentChildren, JSX } from 'preact';
import { AlarmBadge } from './AlarmBadge.tsx';

export interface CollapsibleRowProps {
  rowId: string;
  title: string;
  open: boolean;
  onToggle: (rowId: string) => void;
  children: ComponentChildren;
}

/**
 * Renders a row that shows only its title and alarm state until clicked. Its content
 * mounts only while open, so a closed row sends no queries but still shows when it fires.
 */
export function CollapsibleRow(props: CollapsibleRowProps): JSX.Element {
  const contentId = `row-${props.rowId}`;
  return (
    <div
      class={`row${props.open ? ' row-open' : ''}`}
      data-row={props.rowId}
      data-open={String(props.open)}
    >
      <div class="row-header">
        <button
          type="button"
          class="row-toggle"
          aria-expanded={props.open}
          aria-controls={contentId}
          onClick={() => props.onToggle(props.rowId)}
        >
          <span class="row-chevron" aria-hidden="true">
            {props.open ? '▾' : '▸'}
          </span>
          {props.title}
        </button>
        {!props.open && <AlarmBadge panelId={props.rowId} />}
      </div>
      {props.open && (
        <div class="row-content" id={contentId}>
          {props.children}
        </div>
      )}
    </div>
  );
}
