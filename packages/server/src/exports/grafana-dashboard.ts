import type { CompiledRule } from '../alerts/compiled-rule.ts';
import { METRICS } from '../panels/metric-catalog.ts';
import { PANELS, type PanelDefinition } from '../panels/panel-definitions.ts';
import { parseSeriesExpression, type SeriesExpression } from '../panels/series-expression.ts';
import { NotExpressibleError, PROMETHEUS_LABEL_OF, buildPromQl } from './promql-builder.ts';
import { lookupTable } from '../lookup-table.ts';

/** The dashboard uid; provisioning and links refer to it. */
export const DASHBOARD_UID = 'foghorn-llm';
/** Grafana dashboard JSON schema version the output follows (Grafana 10.4 and 11). */
export const DASHBOARD_SCHEMA_VERSION = 39;
const BIG_PANEL_IDS = ['latency', 'errors', 'cost'];
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const GRID_WIDTH = 24;

const UNIT_OF: Readonly<Record<string, string>> = lookupTable({
  ms: 'ms',
  ratio: 'percentunit',
  'USD/h': 'currencyUSD',
  USD: 'currencyUSD',
  'tokens/h': 'short',
  requests: 'short',
  'requests/min': 'reqpm',
});

function unitOf(expression: SeriesExpression): string {
  return UNIT_OF[METRICS[expression.metric]?.unit ?? ''] ?? 'short';
}

function filtered(expression: SeriesExpression): SeriesExpression {
  return {
    ...expression,
    matchers: {
      ...expression.matchers,
      project: '=~$project',
      model: '=~$model',
      provider: '=~$provider',
    },
  };
}

/** A link from a series to Foghorn's trace explorer for the same time range and group. */
function traceLink(publicUrl: string, expression: SeriesExpression): object {
  const params = ['view=traces', 'from=${__from}', 'to=${__to}'];
  if (expression.by !== null && expression.by !== 'error_type')
    params.push(
      `${expression.by}=\${__field.labels.${PROMETHEUS_LABEL_OF[expression.by]}:percentencode}`,
    );
  return {
    title: 'Traces in Foghorn',
    url: `${publicUrl.replace(/\/+$/, '')}/?${params.join('&')}`,
    targetBlank: true,
  };
}

function thresholdsOf(
  panel: PanelDefinition,
  rules: readonly CompiledRule[],
  unit: string,
): object {
  const steps: object[] = [{ color: 'green', value: null }];
  const values = rules
    .filter(
      (rule) =>
        rule.spec.panel === panel.id &&
        rule.spec.kind === 'threshold' &&
        unitOf(rule.expression) === unit &&
        rule.threshold > 0,
    )
    .map((rule) => rule.threshold)
    .sort((a, b) => a - b);
  for (const value of new Set(values)) steps.push({ color: 'red', value });
  return { mode: 'absolute', steps };
}

interface GraphPanel {
  panel: object | null;
  skipped: string[];
}

/**
 * Returns the legend of a series in Grafana. PromQL has no month-to-date sum, so the
 * projected monthly cost is exported as the window's run rate and named that way.
 */
function legendTitleOf(metric: string, title: string): string {
  return metric === 'projected_monthly_cost_usd' ? 'monthly run rate (window rate × 720 h)' : title;
}

function targetsOf(panel: PanelDefinition, publicUrl: string) {
  const targets: {
    refId: string;
    expr: string;
    legendFormat: string;
    unit: string;
    link: object;
  }[] = [];
  const skipped: string[] = [];
  for (const series of panel.series) {
    const expression = parseSeriesExpression(series.expr);
    try {
      const expr = buildPromQl(filtered(expression), expression.windowMs ?? 300_000);
      const title = legendTitleOf(expression.metric, series.title);
      const legend =
        expression.by === null ? title : `{{${PROMETHEUS_LABEL_OF[expression.by]}}} ${title}`;
      targets.push({
        refId: String.fromCharCode(65 + targets.length),
        expr,
        legendFormat: legend,
        unit: unitOf(expression),
        link: traceLink(publicUrl, expression),
      });
    } catch (error) {
      if (!(error instanceof NotExpressibleError)) throw error;
      skipped.push(`${panel.id}: ${series.expr}: ${error.message}`);
    }
  }
  return { targets, skipped };
}

/** Builds a time-series panel from a panel definition; the first series' unit is the panel's, others get an override. */
function graphPanel(
  panel: PanelDefinition,
  rules: readonly CompiledRule[],
  publicUrl: string,
  id: number,
  gridPos: object,
): GraphPanel {
  const { targets, skipped } = targetsOf(panel, publicUrl);
  if (targets.length === 0) return { panel: null, skipped };
  const unit = targets[0]!.unit;
  const overrides = targets
    .filter((target) => target.unit !== unit)
    .map((target) => ({
      matcher: { id: 'byFrameRefID', options: target.refId },
      properties: [
        { id: 'unit', value: target.unit },
        { id: 'custom.axisPlacement', value: 'right' },
      ],
    }));
  return {
    skipped,
    panel: {
      id,
      type: 'timeseries',
      title: panel.title,
      description: panel.description,
      datasource: DATASOURCE,
      gridPos,
      targets: targets.map(({ refId, expr, legendFormat }) => ({
        refId,
        expr,
        legendFormat,
        datasource: DATASOURCE,
      })),
      fieldConfig: {
        defaults: {
          unit,
          thresholds: thresholdsOf(panel, rules, unit),
          links: [targets[0]!.link],
          custom: { thresholdsStyle: { mode: 'line' } },
        },
        overrides,
      },
      options: {
        legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
        tooltip: { mode: 'multi', sort: 'desc' },
      },
    },
  };
}

/** A multi-value label variable; `selected` preselects one value instead of All. */
function labelVariable(name: string, label: string, selected: string | null = null): object {
  const query = `label_values(foghorn_llm_requests_total, ${label})`;
  const current =
    selected === null ? { text: 'All', value: '$__all' } : { text: selected, value: [selected] };
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    query: { query, refId: `${name}-values` },
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current,
    sort: 1,
  };
}

export interface GrafanaDashboardResult {
  dashboard: Record<string, unknown>;
  /** Panel series left out because PromQL over the exported series cannot express them. */
  skipped: string[];
}

/**
 * Builds the Grafana dashboard from the panel definitions: latency, errors and
 * cost as full-width graphs, every other panel in a collapsed row. Thresholds come
 * from the threshold rules of each panel, and each graph links to the traces.
 * Every query filters on the `$project` variable; with `projectId` the variable
 * starts at that project and only its rules give thresholds, else it starts at All.
 */
export function buildGrafanaDashboard(
  allRules: readonly CompiledRule[],
  publicUrl: string,
  projectId: string | null = null,
): GrafanaDashboardResult {
  const rules =
    projectId === null ? allRules : allRules.filter((rule) => rule.projectId === projectId);
  const panels: object[] = [];
  const skipped: string[] = [];
  let nextId = 1;
  let y = 0;
  for (const definition of PANELS.filter((panel) => BIG_PANEL_IDS.includes(panel.id))) {
    const built = graphPanel(definition, rules, publicUrl, nextId++, {
      x: 0,
      y,
      w: GRID_WIDTH,
      h: 9,
    });
    skipped.push(...built.skipped);
    if (built.panel !== null) panels.push(built.panel);
    y += 9;
  }
  for (const definition of PANELS.filter((panel) => !BIG_PANEL_IDS.includes(panel.id))) {
    const built = graphPanel(definition, rules, publicUrl, nextId + 1, {
      x: 0,
      y: y + 1,
      w: GRID_WIDTH,
      h: 8,
    });
    skipped.push(...built.skipped);
    panels.push({
      id: nextId,
      type: 'row',
      title: definition.title,
      collapsed: true,
      gridPos: { x: 0, y, w: GRID_WIDTH, h: 1 },
      panels: built.panel === null ? [] : [built.panel],
    });
    nextId += 2;
    y += 1;
  }
  const dashboard = {
    uid: DASHBOARD_UID,
    title: 'Foghorn LLM',
    tags: ['foghorn', 'llm'],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    fiscalYearStartMonth: 0,
    annotations: { list: [] },
    links: [
      {
        title: 'Foghorn',
        type: 'link',
        url: publicUrl,
        targetBlank: true,
        icon: 'external link',
        tags: [],
        asDropdown: false,
        includeVars: false,
        keepTime: false,
        tooltip: '',
      },
    ],
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          current: { text: 'Prometheus (Foghorn)', value: 'foghorn-prometheus' },
          hide: 0,
          refresh: 1,
        },
        labelVariable('project', 'project', projectId),
        labelVariable('model', 'model'),
        labelVariable('provider', 'provider'),
      ],
    },
    panels,
  };
  return { dashboard, skipped };
}
