import type { Logger } from 'pino';
import type { Leader } from './leader.ts';

/** A job that runs on an interval, on the leader only. */
export interface LeaderTimer {
  stop(): Promise<void>;
}

/**
 * Calls `run` every `intervalMs` while `leader` leads; a run still going when the next
 * interval comes is not overlapped. A run that started while leading finishes even if the
 * lease lapses meanwhile.
 */
export function startLeaderTimer(options: {
  leader: Leader;
  intervalMs: number;
  name: string;
  logger: Logger;
  run: () => Promise<unknown>;
}): LeaderTimer {
  let running: Promise<unknown> | null = null;
  const tick = (): void => {
    if (running !== null || !options.leader.isLeader()) return;
    running = options
      .run()
      .catch((error: unknown) => {
        options.logger.error(
          { err: error, job: options.name },
          'leader job failed; the next interval retries',
        );
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
