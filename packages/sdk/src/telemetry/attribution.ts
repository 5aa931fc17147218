import {
  context,
  createContextKey,
  propagation,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { FoghornConfigError } from '../config/config-error.ts';

/** The tenant, feature, user and session a piece of work is for. Every field is optional, and nested calls override field by field. */
export interface Attribution {
  tenant?: string;
  feature?: string;
  user?: string;
  session?: string;
}

/** Attribute and baggage keys of each attribution field. */
export const ATTRIBUTION_KEYS = Object.freeze({
  tenant: 'tenant.id',
  feature: 'feature.name',
  user: 'user.id',
  session: 'session.id',
} as const);

const FIELDS = Object.keys(ATTRIBUTION_KEYS) as (keyof Attribution)[];
const ATTRIBUTION_CONTEXT_KEY = createContextKey('foghorn.attribution');
const EMPTY: Readonly<Attribution> = Object.freeze({});

/**
 * Runs `fn` with the attribution in the active OTel context and in W3C baggage,
 * so spans and metrics recorded inside it, and services it calls with a
 * baggage propagator, carry `tenant.id`, `feature.name`, `user.id` and `session.id`.
 */
export function withAttribution<T>(attribution: Attribution, fn: () => T): T {
  validateAttribution(attribution);
  const parent = context.active();
  const merged: Attribution = { ...currentAttribution(parent), ...definedFields(attribution) };
  let baggage = propagation.getBaggage(parent) ?? propagation.createBaggage();
  for (const field of FIELDS) {
    const value = merged[field];
    if (value !== undefined) baggage = baggage.setEntry(ATTRIBUTION_KEYS[field], { value });
  }
  const next = propagation.setBaggage(parent.setValue(ATTRIBUTION_CONTEXT_KEY, merged), baggage);
  return context.with(next, fn);
}

/** Returns the attribution of a context: set by `withAttribution`, or else received in W3C baggage. */
export function currentAttribution(ctx: Context = context.active()): Readonly<Attribution> {
  const own = ctx.getValue(ATTRIBUTION_CONTEXT_KEY) as Attribution | undefined;
  if (own !== undefined) return own;
  const baggage = propagation.getBaggage(ctx);
  if (baggage === undefined) return EMPTY;
  const received: Attribution = {};
  for (const field of FIELDS) {
    const value = baggage.getEntry(ATTRIBUTION_KEYS[field])?.value;
    if (value !== undefined) received[field] = value;
  }
  return received;
}

/** Span attributes of an attribution. */
export function attributionAttributes(
  attribution: Readonly<Attribution>,
  target: Attributes,
): void {
  if (attribution.tenant !== undefined) target['tenant.id'] = attribution.tenant;
  if (attribution.feature !== undefined) target['feature.name'] = attribution.feature;
  if (attribution.user !== undefined) target['user.id'] = attribution.user;
  if (attribution.session !== undefined) target['session.id'] = attribution.session;
}

/** Sets the attribution attributes on every span the provider starts, whatever instrumentation made it. */
export class AttributionSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const attribution = currentAttribution(parentContext);
    if (attribution === EMPTY) return;
    const attributes: Attributes = {};
    attributionAttributes(attribution, attributes);
    span.setAttributes(attributes);
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}

function validateAttribution(attribution: Attribution): void {
  if (typeof attribution !== 'object' || attribution === null) {
    throw new FoghornConfigError(
      `withAttribution() received ${String(attribution)}; pass an object such as { tenant: "acme" }`,
    );
  }
  for (const field of FIELDS) {
    const value = attribution[field];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new FoghornConfigError(
        `withAttribution() field "${field}" is ${JSON.stringify(value)}; expected a non-empty string or undefined`,
      );
    }
  }
}

function definedFields(attribution: Attribution): Attribution {
  const result: Attribution = {};
  for (const field of FIELDS) {
    if (attribution[field] !== undefined) result[field] = attribution[field];
  }
  return result;
}
