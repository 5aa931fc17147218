import type { ModelStage } from './entities.ts';

/** Actor recorded for transitions made by auto-promotion. */
export const AUTO_PROMOTION_ACTOR = 'policy:auto';

/** A stage change to apply and record. */
export interface StageTransitionRequest {
  name: string;
  version: number;
  stage: ModelStage;
  archiveExisting: boolean;
  /** Who or what asked: `user`, `user:<name>` or `policy:auto`. */
  actor: string;
  reason: string;
  nowMs: number;
}

/** One row of the transition log, applied or rejected. */
export interface StageTransitionRecord {
  name: string;
  version: number;
  fromStage: string;
  toStage: ModelStage;
  actor: string;
  reason: string;
  outcome: 'applied' | 'rejected';
  timestampMs: number;
}

export interface TransitionQuery {
  name: string | null;
  version: number | null;
  limit: number;
}
