import type { ViewType } from '../../../tracking/entities.ts';

/** SQL condition selecting rows of `alias` by lifecycle stage for a view type. */
export function lifecycleCondition(alias: string, viewType: ViewType): string {
  if (viewType === 'ALL') return 'TRUE';
  const stage = viewType === 'ACTIVE_ONLY' ? 'active' : 'deleted';
  return `${alias}.lifecycle_stage = '${stage}'`;
}
