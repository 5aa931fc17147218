import type { JSX } from 'preact';

export interface LegendColumn {
  label: string;
  /** Dash pattern of the lines this column describes; omit when the column is not a line. */
  dash?: number[];
}

export interface LegendRow {
  key: string;
  label: string;
  color: string;
  values: string[];
}

export interface LegendTableProps {
  /** Scope of the values: the whole window or the bucket under the cursor. */
  caption: string;
  columns: LegendColumn[];
  rows: LegendRow[];
}

/** Renders a legend as a table with one row per color and one column per line style. */
export function LegendTable(props: LegendTableProps): JSX.Element {
  return (
    <table class="legend">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col" />
          {props.columns.map((column) => (
            <th scope="col" key={column.label}>
              {column.dash !== undefined && <DashSample dash={column.dash} />}
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.key}>
            <th scope="row" title={row.label}>
              <span class="legend-swatch" style={{ background: row.color }} />
              {row.label}
            </th>
            {row.values.map((value, index) => (
              <td key={props.columns[index]?.label ?? index}>{value}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DashSample({ dash }: { dash: number[] }): JSX.Element {
  return (
    <svg class="legend-dash" width="22" height="8" aria-hidden="true">
      <line x1="0" y1="4" x2="22" y2="4" stroke-dasharray={dash.join(' ')} />
    </svg>
  );
}
