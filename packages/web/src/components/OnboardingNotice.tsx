import type { JSX } from 'preact';
import type { IngestInfo } from '../api/types.ts';

export interface OnboardingNoticeProps {
  info: IngestInfo;
  filtered: boolean;
}

/** Tells what to send when the window has no LLM calls. */
export function OnboardingNotice(props: OnboardingNoticeProps): JSX.Element {
  return (
    <section class="onboarding" data-testid="onboarding">
      <h2>No LLM calls in this time range</h2>
      {props.filtered && (
        <p>Filters are set; clearing them or widening the time range may show data.</p>
      )}
      <p>
        Send OpenTelemetry traces over OTLP/HTTP to <code>{props.info.otlpTracesUrl}</code>, for
        example by starting your app with:
      </p>
      <pre>
        <code>OTEL_EXPORTER_OTLP_ENDPOINT={props.info.otlpEndpoint}</code>
      </pre>
      <p>
        To see the dashboard with sample traffic first, run <code>npx foghorn demo</code>.
      </p>
    </section>
  );
}
