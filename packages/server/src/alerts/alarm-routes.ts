import type { FastifyInstance } from 'fastify';
import { registerBudgetRoutes } from '../budgets/budget-routes.ts';
import { registerPanelRoutes } from '../panels/panel-routes.ts';
import { registerScoreRoutes } from '../scores/score-routes.ts';
import type { ScoreStore } from '../scores/score-store.ts';
import { registerAlertRoutes } from './alert-routes.ts';
import type { AlertingService } from './alerting-service.ts';

/** What the main app needs to serve panels, alarms, budgets and scores. */
export interface AlarmRouteOptions {
  alerting: AlertingService;
  scores: ScoreStore;
  now: () => number;
  /** Dashboard base URL in links; known once the server listens. */
  publicUrl: () => string;
}

/** Registers `/api/v1/panels`, `/api/v1/alerts/...`, `/api/v1/budgets` and `/api/v1/scores`. */
export function registerAlarmRoutes(app: FastifyInstance, options: AlarmRouteOptions): void {
  registerPanelRoutes(app, {
    rules: () => options.alerting.rules.rules(),
    instances: () => options.alerting.instances(),
  });
  registerAlertRoutes(app, options.alerting, options.now, options.publicUrl);
  registerBudgetRoutes(app, options.alerting.budgets);
  registerScoreRoutes(app, options.scores, options.now);
}
