import { createAttributeRedactor, type AttributeContext } from './attribute-redactor.ts';
import { isContentEvent } from './content-keys.ts';
import {
  selectContentSetting,
  validateContentSetting,
  type ContentSetting,
} from './content-policy.ts';
import { compileCustomPattern } from './custom-pattern.ts';
import { BUILTIN_DETECTORS } from './detectors/builtin.ts';
import { compileKeyRules } from './key-rules.ts';
import { resolvePolicy, type RedactionPolicy } from './policy.ts';
import { createPseudonymizer } from './pseudonym.ts';
import {
  createStatsCollector,
  type RedactionStats,
  type ServiceCounters,
} from './redaction-stats.ts';
import { createStringRedactor } from './string-redactor.ts';
import { createTextScanner } from './text-scanner.ts';
import { applyContentMode } from './content-value.ts';
import type {
  Attributes,
  RedactableEvent,
  RedactableLogRecord,
  RedactableMetricPoint,
  RedactableSpan,
} from './types.ts';

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
  /**
   * Redacts a log record in place: attributes (as on span events), resource
   * attributes and the body. The body of a GenAI content event such as
   * `gen_ai.user.message` follows the content mode; `drop` sets it to null.
   */
  redactLogRecord(record: RedactableLogRecord): void;
  /** Redacts the attributes and resource attributes of a metric data point in place. */
  redactMetricPoint(point: RedactableMetricPoint): void;
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
      throw new Error(
        `disabledDetectors contains "${id}"; use the detector ids ${[...ids].join(', ')}`,
      );
    }
  }
  if (policy.denyAction !== 'drop' && policy.denyAction !== 'replace') {
    throw new Error(`denyAction is "${String(policy.denyAction)}"; use drop or replace`);
  }
  validateContentSetting(policy.content.default, 'content.default');
  policy.content.rules.forEach((rule, index) =>
    validateContentSetting(rule, `content.rules[${index}]`),
  );
}

/** Builds a redactor; throws naming the field when the policy or the secret is invalid. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const policy = resolvePolicy(options.policy);
  validatePolicy(policy);
  const custom = policy.customPatterns.map(compileCustomPattern);
  const builtin = BUILTIN_DETECTORS.filter(
    (detector) => !policy.disabledDetectors.includes(detector.id),
  );
  const strings = createStringRedactor(createTextScanner(builtin, custom));
  if (policy.pseudonymizeUserIds && options.pseudonymSecret === undefined) {
    throw new Error(
      'pseudonymSecret is missing; pass a secret or set pseudonymizeUserIds to false',
    );
  }
  const pseudonymizer = policy.pseudonymizeUserIds
    ? createPseudonymizer(options.pseudonymSecret!)
    : null;
  const attributes = createAttributeRedactor({
    keyRules: compileKeyRules(policy),
    strings,
    pseudonymizer,
    denyAction: policy.denyAction,
  });
  const collector = createStatsCollector(options.now);
  /** Settings by service, then by environment; two lookups avoid building a key string per span. */
  const settings = new Map<string, Map<string | null, ContentSetting>>();
  let cachedSettingCount = 0;
  /** Resource attribute objects already redacted; decoders share one object among the spans of a resource. */
  const redactedResources = new WeakSet<Attributes>();

  function contentSetting(service: string, environment: string | null): ContentSetting {
    const byEnvironment = settings.get(service);
    const cached = byEnvironment?.get(environment);
    if (cached !== undefined) return cached;
    const setting = selectContentSetting(policy.content, service, environment);
    if (cachedSettingCount >= 4096) {
      settings.clear();
      cachedSettingCount = 0;
    }
    if (byEnvironment === undefined || cachedSettingCount === 0) {
      settings.set(service, new Map([[environment, setting]]));
    } else {
      byEnvironment.set(environment, setting);
    }
    cachedSettingCount++;
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

  function redactResource(resource: Attributes, context: AttributeContext): void {
    if (redactedResources.has(resource)) return;
    attributes.redactAttributes(resource, { ...context, onEvent: false });
    redactedResources.add(resource);
  }

  function contextFor(
    service: string,
    environment: string | null,
    onEvent: boolean,
  ): AttributeContext {
    return {
      counters: collector.forService(service || UNKNOWN_SERVICE),
      content: contentSetting(service, environment),
      onEvent,
    };
  }

  function redactLogRecord(record: RedactableLogRecord): void {
    const context = contextFor(record.serviceName, record.environment, true);
    attributes.redactAttributes(record.attributes, context);
    redactResource(record.resourceAttributes, context);
    if (isContentEvent(record.eventName)) {
      record.body =
        applyContentMode(record.body, context.content, context.counters, strings, false) ?? null;
    } else {
      record.body = strings.redactValue(record.body, context.counters.byDetector);
    }
    context.counters.logRecords++;
  }

  function redactMetricPoint(point: RedactableMetricPoint): void {
    const context = contextFor(point.serviceName, point.environment, false);
    attributes.redactAttributes(point.attributes, context);
    redactResource(point.resourceAttributes, context);
    context.counters.metricPoints++;
  }

  function redactSpan(span: RedactableSpan): void {
    const context = contextFor(span.serviceName, span.environment, false);
    attributes.redactAttributes(span.attributes, context);
    redactResource(span.resourceAttributes, context);
    if (span.events.length > 0) span.events = redactEvents(span.events, context);
    redactFields(span, context.counters);
    context.counters.spans++;
  }

  return {
    policy,
    redactSpan,
    redactSpans(spans) {
      for (const span of spans) redactSpan(span);
    },
    redactLogRecord,
    redactMetricPoint,
    redactText(text, service = UNKNOWN_SERVICE) {
      return strings.redactString(text, collector.forService(service).byDetector);
    },
    stats: () => collector.snapshot(),
  };
}
