import { createAttributeRedactor, type AttributeContext } from './attribute-redactor.ts';
import { isContentEvent } from './content-keys.ts';
import { selectContentSetting, validateContentSetting, type ContentSetting } from './content-policy.ts';
import { compileCustomPattern } from './custom-pattern.ts';
import { BUILTIN_DETECTORS } from './detectors/builtin.ts';
import { compileKeyRules } from './key-rules.ts';
import { resolvePolicy, type RedactionPolicy } from './policy.ts';
import { createPseudonymizer } from './pseudonym.ts';
import { createStatsCollector, type RedactionStats, type ServiceCounters } from './redaction-stats.ts';
import { createStringRedactor } from './string-redactor.ts';
import { createTextScanner } from './text-scanner.ts';
import type { Attributes, RedactableEvent, RedactableSpan } from './types.ts';

export interface RedactorOptions {
  /** Missing fields take their defaults from `DEFAULT_POLICY`. */
  policy?: Partial<RedactionPolicy>;
  /** HMAC key for user-id pseudonyms; required unless the policy turns pseudonyms off. */
  pseudonymSecret?: string | Uint8Array;
  now?: () => number;
}

export interface Redactor {
  /** Redacts a span in place: attributes, resource attributes, events, name, status message and attribution fields. */
  redactSpan(span: RedactableSpan): void;
  redactSpans(spans: readonly RedactableSpan[]): void;
  /** Redacts free text with the detectors, counting under `service`. */
  redactText(text: string, service?: string): string;
  /** Returns a copy of the counters since the redactor was created. */
  stats(): RedactionStats;
  /** The policy in force, with defaults filled in. */
  readonly policy: RedactionPolicy;
}

const UNKNOWN_SERVICE = 'unknown_service';

function validatePolicy(policy: RedactionPolicy): void {
  const ids = new Set(BUILTIN_DETECTORS.map((detector) => detector.id));
  for (const id of policy.disabledDetectors) {
    if (!ids.has(id)) {
      throw new Error(`disabledDetectors contains "${id}"; use the detector ids ${[...ids].join(', ')}`);
    }
  }
  if (policy.denyAction !== 'drop' && policy.denyAction !== 'replace') {
    throw new Error(`denyAction is "${String(policy.denyAction)}"; use drop or replace`);
  }
  validateContentSetting(policy.content.default, 'content.default');
  policy.content.rules.forEach((rule, index) => validateContentSetting(rule, `content.rules[${index}]`));
}

/** Builds a redactor; throws naming the field when the policy or the secret is invalid. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const policy = resolvePolicy(options.policy);
  validatePolicy(policy);
  const custom = policy.customPatterns.map(compileCustomPattern);
  const builtin = BUILTIN_DETECTORS.filter((detector) => !policy.disabledDetectors.includes(detector.id));
  const strings = createStringRedactor(createTextScanner(builtin, custom));
  if (policy.pseudonymizeUserIds && options.pseudonymSecret === undefined) {
    throw new Error('pseudonymSecret is missing; pass a secret or set pseudonymizeUserIds to false');
  }
  const pseudonymizer = policy.pseudonymizeUserIds ? createPseudonymizer(options.pseudonymSecret!) : null;
  const attributes = createAttributeRedactor({
    keyRules: compileKeyRules(policy),
    strings,
    pseudonymizer,
    denyAction: policy.denyAction,
  });
  const collector = createStatsCollector(options.now);
  const settings = new Map<string, ContentSetting>();
  /** Resource attribute objects already redacted; decoders share one object among the spans of a resource. */
  const redactedResources = new WeakSet<Attributes>();

  function contentSetting(service: string, environment: string | null): ContentSetting {
    const cacheKey = `${service}\u0000${environment ?? ''}`;
    let setting = settings.get(cacheKey);
    if (setting === undefined) {
      setting = selectContentSetting(policy.content, service, environment);
      if (settings.size >= 4096) settings.clear();
      settings.set(cacheKey, setting);
    }
    return setting;
  }

  function redactEvents(events: RedactableEvent[], context: AttributeContext): RedactableEvent[] {
    const eventContext = { ...context, onEvent: true };
    const kept: RedactableEvent[] = [];
    for (const event of events) {
      if (context.content.mode === 'drop' && isContentEvent(event.name)) {
        context.counters.droppedContent++;
        continue;
      }
      attributes.redactAttributes(event.attributes, eventContext);
      kept.push(event);
    }
    return kept;
  }

  function redactField(value: string | null, counters: ServiceCounters): string | null {
    return value === null ? null : strings.redactString(value, counters.byDetector);
  }

  function redactFields(span: RedactableSpan, counters: ServiceCounters): void {
    span.name = strings.redactString(span.name, counters.byDetector);
    span.statusMessage = redactField(span.statusMessage, counters);
    span.sessionId = redactField(span.sessionId, counters);
    span.tenant = redactField(span.tenant, counters);
    span.feature = redactField(span.feature, counters);
    if (span.userId !== null) {
      if (pseudonymizer !== null) {
        span.userId = pseudonymizer.pseudonymize(span.userId);
      } else {
        span.userId = redactField(span.userId, counters);
      }
    }
  }

  function redactSpan(span: RedactableSpan): void {
    const counters = collector.forService(span.serviceName || UNKNOWN_SERVICE);
    const context: AttributeContext = {
      counters,
      content: contentSetting(span.serviceName, span.environment),
      onEvent: false,
    };
    attributes.redactAttributes(span.attributes, context);
    if (!redactedResources.has(span.resourceAttributes)) {
      attributes.redactAttributes(span.resourceAttributes, context);
      redactedResources.add(span.resourceAttributes);
    }
    if (span.events.length > 0) span.events = redactEvents(span.events, context);
    redactFields(span, counters);
    counters.spans++;
  }

  return {
    policy,
    redactSpan,
    redactSpans(spans) {
      for (const span of spans) redactSpan(span);
    },
    redactText(text, service = UNKNOWN_SERVICE) {
      return strings.redactString(text, collector.forService(service).byDetector);
    },
    stats: () => collector.snapshot(),
  };
}
