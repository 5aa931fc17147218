/** The label value that stands for every value outside the top N. */
export const OTHER_LABEL_VALUE = 'other';

/** How many values outside the top N the limiter keeps volumes for, per slot. */
const CANDIDATES_PER_SLOT = 10;

/**
 * Bounds the values of one label (tenant, feature) to the `maxValues` values with
 * the most requests, plus `other`. A value owns a slot from the moment it gets
 * one; a candidate whose volume passes the smallest slot owner takes that slot.
 * Counts stay monotonic: a value's earlier counts stay in `other`, and a demoted
 * value's series is dropped by the registry through `onDemote`.
 */
export class LabelLimiter {
  private readonly slotVolumes = new Map<string, number>();
  private readonly candidateVolumes = new Map<string, number>();

  constructor(
    readonly maxValues: number,
    private readonly onDemote: (value: string) => void,
  ) {
    if (!Number.isInteger(maxValues) || maxValues < 1)
      throw new Error(`maxValues ${maxValues} is invalid; use a whole number of at least 1`);
  }

  /** Counts `requests` for `value` and returns the label value to record them under. */
  record(value: string, requests: number): string {
    const slotVolume = this.slotVolumes.get(value);
    if (slotVolume !== undefined) {
      this.slotVolumes.set(value, slotVolume + requests);
      return value;
    }
    if (this.slotVolumes.size < this.maxValues) {
      this.slotVolumes.set(value, requests);
      return value;
    }
    const volume = (this.candidateVolumes.get(value) ?? 0) + requests;
    this.candidateVolumes.set(value, volume);
    if (this.promoteIfLarger(value, volume)) return value;
    this.trimCandidates();
    return OTHER_LABEL_VALUE;
  }

  /** The values that currently own a slot. */
  values(): string[] {
    return [...this.slotVolumes.keys()];
  }

  private promoteIfLarger(value: string, volume: number): boolean {
    let smallest: [string, number] | null = null;
    for (const entry of this.slotVolumes) {
      if (smallest === null || entry[1] < smallest[1]) smallest = entry;
    }
    if (smallest === null || volume <= smallest[1]) return false;
    this.slotVolumes.delete(smallest[0]);
    this.candidateVolumes.set(smallest[0], smallest[1]);
    this.candidateVolumes.delete(value);
    this.slotVolumes.set(value, volume);
    this.onDemote(smallest[0]);
    return true;
  }

  private trimCandidates(): void {
    const limit = this.maxValues * CANDIDATES_PER_SLOT;
    if (this.candidateVolumes.size <= limit) return;
    const sorted = [...this.candidateVolumes].sort((a, b) => a[1] - b[1]);
    for (const [value] of sorted.slice(0, this.candidateVolumes.size - limit))
      this.candidateVolumes.delete(value);
  }
}
