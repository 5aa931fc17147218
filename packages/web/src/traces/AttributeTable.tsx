import type { JSX } from 'preact';
import type { AttributeValue } from '../api/types.ts';

export interface AttributeTableProps {
  title: string;
  section: string;
  attributes: Record<string, AttributeValue>;
}

function valueText(value: AttributeValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Lists attributes sorted by key, values as text. */
export function AttributeTable(props: AttributeTableProps): JSX.Element | null {
  const keys = Object.keys(props.attributes).sort();
  if (keys.length === 0) return null;
  return (
    <section class="span-section" data-section={props.section}>
      <h4>{props.title}</h4>
      <table class="data-table attribute-table">
        <tbody>
          {keys.map((key) => (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td>
                <pre class="attribute-value">{valueText(props.attributes[key] ?? null)}</pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
