import type { FoghornLogger } from './logger.ts';

/**
 * Reports dropped telemetry with two lines per episode: one when dropping
 * starts and one with the count when it stops (at the next successful export
 * or at shutdown), instead of one line per dropped item.
 */
export interface DropReporter {
  /** Counts `count` dropped items; logs `reason` only for the first drop of an episode. */
  drop(count: number, reason: string): void;
  /** Ends an episode, logging how many items it dropped; does nothing when none were. */
  recover(): void;
  readonly totalDropped: number;
}

export function createDropReporter(logger: FoghornLogger, itemName: string): DropReporter {
  let episodeCount = 0;
  let totalDropped = 0;
  return {
    drop(count, reason) {
      if (count <= 0) return;
      if (episodeCount === 0) {
        logger.warn(
          `dropping ${itemName}: ${reason}; the count follows when exports succeed again or at shutdown`,
        );
      }
      episodeCount += count;
      totalDropped += count;
    },
    recover() {
      if (episodeCount === 0) return;
      logger.warn(`dropped ${episodeCount} ${itemName} in total since dropping started`);
      episodeCount = 0;
    },
    get totalDropped() {
      return totalDropped;
    },
  };
}
