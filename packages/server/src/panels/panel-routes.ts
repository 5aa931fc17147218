import type { FastifyInstance } from 'fastify';
import { requestScope } from '../auth/request-scope.ts';
import type { AlertInstance } from '../alerts/alert-store.ts';
import type { CompiledRule } from '../alerts/compiled-rule.ts';
import { PANELS } from './panel-definitions.ts';

/** The alarm state of a panel: the worst state of its rules' instances. */
export type PanelAlarmState = 'inactive' | 'pending' | 'firing';

export interface PanelAlarmSource {
  rules(): CompiledRule[];
  instances(): AlertInstance[];
}

/**
 * Registers `GET /api/v1/panels`: every panel definition with its current alarm
 * state and rule ids, counting only the rules and instances of the caller's project.
 */
export function registerPanelRoutes(app: FastifyInstance, alarms: PanelAlarmSource): void {
  app.get('/api/v1/panels', async (request) => {
    const { projectId } = requestScope(request);
    const rules = alarms.rules().filter((rule) => rule.projectId === projectId);
    const instances = alarms.instances().filter((instance) => instance.projectId === projectId);
    return {
      panels: PANELS.map((panel) => {
        const ruleIds = rules.filter((rule) => rule.spec.panel === panel.id).map((rule) => rule.id);
        const panelInstances = instances.filter((instance) => ruleIds.includes(instance.ruleId));
        const firing = panelInstances.filter((instance) => instance.state === 'firing');
        const pending = panelInstances.filter((instance) => instance.state === 'pending');
        const state: PanelAlarmState =
          firing.length > 0 ? 'firing' : pending.length > 0 ? 'pending' : 'inactive';
        return {
          ...panel,
          alarm: {
            state,
            ruleIds,
            firingRuleIds: [...new Set(firing.map((instance) => instance.ruleId))],
            pendingRuleIds: [...new Set(pending.map((instance) => instance.ruleId))],
          },
        };
      }),
    };
  });
}
