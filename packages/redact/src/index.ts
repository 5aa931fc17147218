export { createRedactor } from './redactor.ts';
export type { Redactor, RedactorOptions } from './redactor.ts';
export { DEFAULT_POLICY, resolvePolicy } from './policy.ts';
export type { DenyAction, RedactionPolicy } from './policy.ts';
export type { ContentMode, ContentPolicy, ContentRule, ContentSetting } from './content-policy.ts';
export { hashContent, selectContentSetting, truncateContent } from './content-policy.ts';
export type { CustomPattern } from './custom-pattern.ts';
export { isContentEvent, isContentKey } from './content-keys.ts';
export { BUILTIN_DETECTORS, BUILTIN_DETECTOR_NAMES } from './detectors/builtin.ts';
export type { Detector, Finding } from './detectors/detector.ts';
export { createPseudonymizer } from './pseudonym.ts';
export type { Pseudonymizer } from './pseudonym.ts';
export type { RedactionStats, ServiceCounters } from './redaction-stats.ts';
export { passesLuhn } from './detectors/luhn.ts';
export { passesIbanChecksum } from './detectors/iban.ts';
export { isValidSsn } from './detectors/ssn.ts';
export { isIpv6 } from './detectors/ip-address.ts';
export { hasJwtHeader } from './detectors/secrets.ts';
export { redactionMarker } from './text-scanner.ts';
export type {
  AttributeValue,
  Attributes,
  DetectorCounts,
  RedactableEvent,
  RedactableLogRecord,
  RedactableMetricPoint,
  RedactableSpan,
} from './types.ts';
