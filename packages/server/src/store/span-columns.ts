import type { Dimensions, FilterName, GroupBy } from './store.ts';

/** Column behind each group-by dimension, in the spans and rollup tables of both backends. */
export const GROUP_COLUMNS: Readonly<Record<GroupBy, string>> = {
  model: 'model',
  responseModel: 'response_model',
  provider: 'provider',
  tenant: 'tenant',
  feature: 'feature',
  service: 'service_name',
  operation: 'operation',
  errorType: 'error_type',
  registeredModel: 'registered_model',
};

/** Column behind each filter, in the spans and rollup tables of both backends. */
export const FILTER_COLUMNS: Readonly<Record<FilterName, string>> = {
  service: 'service_name',
  environment: 'environment',
  model: 'model',
  provider: 'provider',
  tenant: 'tenant',
  feature: 'feature',
  registeredModel: 'registered_model',
};

/** Builds the filter menus from a backend's query of the distinct values of one column. */
export async function collectDimensions(
  distinct: (column: string) => Promise<string[]>,
): Promise<Dimensions> {
  return {
    services: await distinct(FILTER_COLUMNS.service),
    environments: await distinct(FILTER_COLUMNS.environment),
    models: await distinct(FILTER_COLUMNS.model),
    providers: await distinct(FILTER_COLUMNS.provider),
    tenants: await distinct(FILTER_COLUMNS.tenant),
    features: await distinct(FILTER_COLUMNS.feature),
    registeredModels: await distinct(FILTER_COLUMNS.registeredModel),
  };
}
