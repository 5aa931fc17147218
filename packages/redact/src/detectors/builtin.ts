import { credentialDetector } from './credential.ts';
import type { Detector } from './detector.ts';
import { emailDetector } from './email.ts';
import { ibanDetector } from './iban.ts';
import { ipv4Detector, ipv6Detector } from './ip-address.ts';
import { paymentCardDetector } from './payment-card.ts';
import { phoneDetector } from './phone.ts';
import { secretDetector } from './secrets.ts';
import { ssnDetector } from './ssn.ts';

/**
 * The built-in detectors in the order they run. Each later detector sees the
 * output of the earlier ones, so the most specific shapes go first: a card
 * number is replaced before the phone detector could claim part of it.
 */
export const BUILTIN_DETECTORS: readonly Detector[] = [
  secretDetector,
  credentialDetector,
  emailDetector,
  ibanDetector,
  paymentCardDetector,
  ssnDetector,
  phoneDetector,
  ipv4Detector,
  ipv6Detector,
];

/** Every name a built-in detector can report, such as `email` or `openai_key`. */
export const BUILTIN_DETECTOR_NAMES: readonly string[] = BUILTIN_DETECTORS.flatMap(
  (detector) => detector.names,
);
