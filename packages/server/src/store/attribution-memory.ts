import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import {
  RecentFingerprintMap,
  RecentFingerprints,
  fingerprintOf,
  type Fingerprint,
} from '../recent-fingerprints.ts';

/** Span fields a child inherits from its trace's root when it lacks its own. */
export const ATTRIBUTION_FIELDS = [
  'tenant',
  'feature',
  'userId',
  'sessionId',
  'environment',
  'registeredModel',
] as const;
/** The `spans` table column of each inherited field; both backends use the same names. */
export const ATTRIBUTION_COLUMNS: Readonly<Record<(typeof ATTRIBUTION_FIELDS)[number], string>> = {
  tenant: 'tenant',
  feature: 'feature',
  userId: 'user_id',
  sessionId: 'session_id',
  environment: 'environment',
  registeredModel: 'registered_model',
};
/** Entries kept per generation of each cache; two generations are kept. */
const GENERATION_SIZE = 100_000;
/** How far from its root's start a waiting child may start and still be filled. */
const HOUR_NS = 3_600_000_000_000n;

export type Attribution = Pick<CanonicalSpan, (typeof ATTRIBUTION_FIELDS)[number]>;

/** Roots are remembered per project: a trace id reused by another project never lends its values. */
export function traceKey(span: CanonicalSpan): string {
  return `${span.projectId}\u0000${span.traceId}`;
}

function traceFingerprint(span: CanonicalSpan): Fingerprint {
  return fingerprintOf(span.projectId, span.traceId);
}

/** Equal attributions share one key, so the roots' memory stores each once per generation. */
function attributionKey(attribution: Attribution): string {
  // JSON keeps null apart from every string, and a separator inside a value apart from the next value.
  return JSON.stringify(ATTRIBUTION_FIELDS.map((field) => attribution[field]));
}

export function missingAnyAttribution(span: CanonicalSpan): boolean {
  return ATTRIBUTION_FIELDS.some((field) => span[field] === null);
}

export function hasAnyAttribution(span: CanonicalSpan): boolean {
  return ATTRIBUTION_FIELDS.some((field) => span[field] !== null);
}

export function attributionOf(span: CanonicalSpan): Attribution {
  return {
    tenant: span.tenant,
    feature: span.feature,
    userId: span.userId,
    sessionId: span.sessionId,
    environment: span.environment,
    registeredModel: span.registeredModel,
  };
}

/** The start-time window, in Unix nanoseconds, searched for the stored children of some roots. */
export interface ChildWindow {
  fromUnixNano: bigint;
  toUnixNano: bigint;
}

/**
 * The backend-neutral memory behind attribution inheritance: recent roots with
 * attribution, and traces whose stored children still wait for their root. Each
 * backend writes its own UPDATE for the waiting children. Both are kept by fingerprint
 * of project and trace id. A child whose trace shares a fingerprint with a remembered
 * root of another trace, about once in 10^14 lookups, would take that root's values.
 */
export class AttributionMemory {
  private readonly roots = new RecentFingerprintMap<Attribution>(GENERATION_SIZE, attributionKey);
  private readonly waiting = new RecentFingerprints(GENERATION_SIZE);

  /** Returns the remembered attribution of the root of `span`'s trace. */
  rootOf(span: CanonicalSpan): Attribution | undefined {
    return this.roots.get(traceFingerprint(span));
  }

  /** Remembers a root that carries at least one attribution field. */
  rememberRoot(root: CanonicalSpan): void {
    if (!hasAnyAttribution(root)) return;
    this.roots.set(traceFingerprint(root), attributionOf(root));
  }

  /** Fills the null fields of child spans from the root `rootOf` finds for their trace. */
  fillChildren(
    spans: readonly CanonicalSpan[],
    rootOf: (span: CanonicalSpan) => Attribution | undefined,
  ): void {
    for (const span of spans) {
      if (span.parentSpanId === null || !missingAnyAttribution(span)) continue;
      const root = rootOf(span);
      if (root === undefined) continue;
      for (const field of ATTRIBUTION_FIELDS) {
        if (span[field] === null) span[field] = root[field];
      }
    }
  }

  /**
   * Records written spans: roots are remembered, and children written without a known
   * root wait for it. Returns the roots whose trace has waiting children.
   */
  recordWritten(spans: readonly CanonicalSpan[]): CanonicalSpan[] {
    const arrived: CanonicalSpan[] = [];
    for (const span of spans) {
      if (span.parentSpanId === null) {
        if (!hasAnyAttribution(span)) continue;
        this.rememberRoot(span);
        if (this.waiting.has(traceFingerprint(span))) arrived.push(span);
      } else if (missingAnyAttribution(span) && this.rootOf(span) === undefined) {
        this.waiting.add(traceFingerprint(span));
      }
    }
    return arrived;
  }

  /**
   * Stops waiting for the traces of `roots` and returns the window from an hour
   * before the earliest root to an hour after the latest. `roots` must not be empty.
   */
  takeWaiting(roots: readonly CanonicalSpan[]): ChildWindow {
    let minNs = roots[0]!.startTimeUnixNano;
    let maxNs = minNs;
    for (const root of roots) {
      if (root.startTimeUnixNano < minNs) minNs = root.startTimeUnixNano;
      if (root.startTimeUnixNano > maxNs) maxNs = root.startTimeUnixNano;
      this.waiting.delete(traceFingerprint(root));
    }
    return { fromUnixNano: minNs - HOUR_NS, toUnixNano: maxNs + HOUR_NS };
  }
}

/** Failed fills in a row after which the roots they were for are given up. */
const MAX_FILL_ATTEMPTS = 3;

/**
 * Stored roots whose waiting children are not filled yet, keyed by trace. A fill runs after
 * the spans are stored, so a retried write finds its spans stored and skips it: the roots
 * wait here until a later write's fill succeeds, or MAX_FILL_ATTEMPTS fills fail in a row.
 * Then their children keep their nulls.
 */
export class UnfilledRoots {
  private readonly roots = new Map<string, CanonicalSpan>();
  private failures = 0;

  add(roots: readonly CanonicalSpan[]): void {
    for (const root of roots) this.roots.set(traceKey(root), root);
  }

  /** Runs `fill` with every unfilled root, removes them when it succeeds, and rethrows its error. */
  async fillWith(fill: (roots: readonly CanonicalSpan[]) => Promise<void>): Promise<void> {
    if (this.roots.size === 0) return;
    const roots = [...this.roots.values()];
    try {
      await fill(roots);
    } catch (error) {
      this.failures += 1;
      if (this.failures >= MAX_FILL_ATTEMPTS) {
        this.roots.clear();
        this.failures = 0;
      }
      throw error;
    }
    for (const root of roots) this.roots.delete(traceKey(root));
    this.failures = 0;
  }
}
