import { createContext } from 'preact';
import type { Filters } from './filters.ts';

/** A jump from a graph into the trace explorer. */
export interface TraceJump {
  fromMs: number;
  toMs: number;
  /** Filters added to the current ones, such as the model of the clicked line. */
  filters: Filters;
  status?: 'ok' | 'error';
}

export interface Navigation {
  onOpenTraces: (jump: TraceJump) => void;
}

export const NavigationContext = createContext<Navigation>({ onOpenTraces: () => undefined });
