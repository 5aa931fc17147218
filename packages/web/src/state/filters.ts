import type { DimensionsResponse } from '../api/types.ts';

/** Query filters in the order the header shows them. */
export const FILTER_NAMES = [
  'service',
  'environment',
  'model',
  'provider',
  'tenant',
  'feature',
  'registeredModel',
] as const;

export type FilterName = (typeof FILTER_NAMES)[number];

/** Selected filter values; a missing name means "all". */
export type Filters = Partial<Record<FilterName, string>>;

/** The `/api/v1/llm/dimensions` field that lists the values of each filter. */
export const DIMENSION_FIELD: Readonly<Record<FilterName, keyof DimensionsResponse>> = {
  service: 'services',
  environment: 'environments',
  model: 'models',
  provider: 'providers',
  tenant: 'tenants',
  feature: 'features',
  registeredModel: 'registeredModels',
};

/**
 * The address-bar parameter of each filter. The registry page already uses
 * `registeredModel` for a model name, so the version filter is `modelVersion` there.
 */
export const FILTER_URL_PARAMS: Readonly<Record<FilterName, string>> = {
  service: 'service',
  environment: 'environment',
  model: 'model',
  provider: 'provider',
  tenant: 'tenant',
  feature: 'feature',
  registeredModel: 'modelVersion',
};

export const FILTER_LABELS: Readonly<Record<FilterName, string>> = {
  service: 'Service',
  environment: 'Environment',
  model: 'Model',
  provider: 'Provider',
  tenant: 'Tenant',
  feature: 'Feature',
  registeredModel: 'Registered model',
};
