/** An alert's identifying labels. */
export type Labels = Record<string, string>;

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
const SEPARATOR = 0xff;

/**
 * Computes the label-set fingerprint the way Prometheus and Alertmanager do: FNV-1a
 * 64-bit over the labels sorted by name, each written as name, 0xFF, value, 0xFF,
 * printed as 16 lower-case hex digits. Shared fingerprints let users match our
 * alerts with exported Prometheus rules.
 */
export function fingerprintLabels(labels: Labels): string {
  let hash = FNV_OFFSET_BASIS;
  const mix = (byte: number): void => {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  };
  for (const name of Object.keys(labels).sort()) {
    for (const byte of Buffer.from(name, 'utf8')) mix(byte);
    mix(SEPARATOR);
    for (const byte of Buffer.from(labels[name] ?? '', 'utf8')) mix(byte);
    mix(SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}

/** Formats labels as `{a="1", b="2"}` sorted by name. */
export function formatLabels(labels: Labels): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{${pairs.join(', ')}}`;
}
