import type { JSX } from 'preact';
import type { TraceSpan } from '../api/types.ts';
import { formatDurationMs } from '../lib/format.ts';
import { isContentKey } from '../lib/message-content.ts';
import { CATEGORY_STYLES, spanCategory } from '../lib/span-category.ts';
import { AttributeTable } from './AttributeTable.tsx';
import { ContentView } from './ContentView.tsx';
import { CostBreakdown } from './CostBreakdown.tsx';
import { EventList } from './EventList.tsx';

function canonicalFields(span: TraceSpan): [string, string][] {
  const fields: [string, string | null][] = [
    ['Service', span.serviceName],
    ['Operation', span.operation],
    ['Provider', span.provider],
    ['Request model', span.requestModel],
    ['Response model', span.responseModel],
    ['Duration', formatDurationMs(span.durationMs)],
    [
      'Time to first token',
      span.timeToFirstTokenMs === null ? null : formatDurationMs(span.timeToFirstTokenMs),
    ],
    [
      'Status',
      span.statusMessage === null ? span.statusCode : `${span.statusCode}: ${span.statusMessage}`,
    ],
    ['Error type', span.errorType],
    ['Tenant', span.tenant],
    ['Feature', span.feature],
    ['User', span.userId],
    ['Session', span.sessionId],
    ['Environment', span.environment],
    ['Span kind', span.spanKind],
    ['Attribute dialect', span.dialect],
    ['Span id', span.spanId],
    ['Parent span id', span.parentSpanId],
  ];
  return fields.filter((field): field is [string, string] => field[1] !== null && field[1] !== '');
}

function nonContentAttributes(span: TraceSpan): TraceSpan['attributes'] {
  return Object.fromEntries(Object.entries(span.attributes).filter(([key]) => !isContentKey(key)));
}

/** Shows one span: canonical fields, tokens and cost, content, events, logs and raw attributes. */
export function SpanDetails({ span }: { span: TraceSpan }): JSX.Element {
  const style = CATEGORY_STYLES[spanCategory(span)];
  return (
    <article class="span-details" data-testid="span-details" data-span-id={span.spanId}>
      <header class="span-details-header">
        <span class="span-icon" style={{ color: style.color }}>
          {style.icon}
        </span>
        <h3>{span.name}</h3>
        <span class="span-type" style={{ borderColor: style.color }}>
          {style.label}
        </span>
      </header>
      <dl class="span-fields">
        {canonicalFields(span).map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {(span.isLlmCall || span.cost.totalUsd !== null) && <CostBreakdown span={span} />}
      <ContentView span={span} />
      <EventList span={span} />
      <AttributeTable
        title="Attributes"
        section="attributes"
        attributes={nonContentAttributes(span)}
      />
      <AttributeTable
        title="Resource attributes"
        section="resource"
        attributes={span.resourceAttributes}
      />
    </article>
  );
}
