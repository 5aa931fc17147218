import { ValueFamily } from '../exports/metric-family.ts';

export type ForwardResult = 'delivered' | 'failed' | 'dropped';

/**
 * Counters of one kind of outgoing export (OTLP forwarding or remote write), by
 * target, signal and result, shown on `/metrics` next to the LLM metrics.
 */
export class ForwardMetrics {
  readonly requests: ValueFamily;
  readonly items: ValueFamily;
  readonly retries: ValueFamily;
  readonly queued: ValueFamily;

  /** `prefix` such as `foghorn_otlp_forward`; `itemNoun` names what `items` counts, such as `spans, points and log records`. */
  constructor(prefix: string, itemNoun: string) {
    this.requests = new ValueFamily(
      `${prefix}_requests_total`,
      'counter',
      'Export requests by target, signal and result: delivered, failed (rejected or out of attempts) or dropped (queue full or shutdown).',
    );
    this.items = new ValueFamily(
      `${prefix}_items_total`,
      'counter',
      `${itemNoun} in export requests, by target, signal and result.`,
    );
    this.retries = new ValueFamily(
      `${prefix}_retries_total`,
      'counter',
      'Retried export attempts by target and signal.',
    );
    this.queued = new ValueFamily(
      `${prefix}_queued_requests`,
      'gauge',
      'Export requests waiting in the queue of each target.',
    );
  }

  families(): ValueFamily[] {
    return [this.requests, this.items, this.retries, this.queued];
  }

  count(target: string, signal: string, result: ForwardResult, items: number): void {
    this.requests.add({ target, signal, result }, 1);
    this.items.add({ target, signal, result }, items);
  }
}

/** The label value of a target: its URL without user info, query or fragment, so no secret reaches `/metrics`. */
export function targetLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
