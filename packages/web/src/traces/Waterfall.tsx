import type { JSX } from 'preact';
import { formatDurationMs } from '../lib/format.ts';
import { CATEGORY_STYLES, spanCategory } from '../lib/span-category.ts';
import type { Waterfall as WaterfallData } from '../lib/span-tree.ts';

export interface WaterfallProps {
  waterfall: WaterfallData;
  selectedSpanId: string | null;
  onSelect: (spanId: string) => void;
}

const INDENT_PX = 14;

/** Draws nested spans as bars on the trace's time axis, marked by span category. */
export function Waterfall(props: WaterfallProps): JSX.Element {
  const totalMs = Math.max(props.waterfall.totalMs, 0.001);
  return (
    <div class="waterfall" data-testid="waterfall">
      <div class="waterfall-axis" aria-hidden="true">
        <span>0</span>
        <span>{formatDurationMs(totalMs / 2)}</span>
        <span>{formatDurationMs(totalMs)}</span>
      </div>
      {props.waterfall.rows.map((row) => {
        const category = spanCategory(row.span);
        const style = CATEGORY_STYLES[category];
        const failed = row.span.statusCode === 'error' || row.span.errorType !== null;
        const leftPercent = (row.offsetMs / totalMs) * 100;
        const widthPercent = Math.max((row.durationMs / totalMs) * 100, 0.3);
        return (
          <button
            type="button"
            key={row.span.spanId}
            class={`waterfall-row${row.span.spanId === props.selectedSpanId ? ' selected' : ''}`}
            data-span-id={row.span.spanId}
            data-span-name={row.span.name}
            data-depth={row.depth}
            data-category={category}
            data-orphan={String(row.orphan)}
            onClick={() => props.onSelect(row.span.spanId)}
          >
            <span class="waterfall-label" style={{ paddingLeft: `${row.depth * INDENT_PX}px` }}>
              <span class="span-icon" style={{ color: style.color }} title={style.label}>
                {style.icon}
              </span>
              {row.orphan && (
                <span class="orphan-mark" title="The parent span of this span never arrived">
                  ⚠ orphan
                </span>
              )}
              <span class="waterfall-name">{row.span.name}</span>
              {failed && <span class="span-error-mark">error</span>}
            </span>
            <span class="waterfall-track">
              <span
                class="waterfall-bar"
                style={{
                  left: `${Math.min(leftPercent, 99.7)}%`,
                  width: `${Math.min(widthPercent, 100 - Math.min(leftPercent, 99.7))}%`,
                  background: failed ? 'var(--bad)' : style.color,
                }}
              />
              <span class="waterfall-duration">{formatDurationMs(row.durationMs)}</span>
            </span>
          </button>
        );
      })}
      <ul class="inline-legend waterfall-legend">
        {Object.values(CATEGORY_STYLES).map((style) => (
          <li key={style.label}>
            <span style={{ color: style.color }}>{style.icon}</span> {style.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
