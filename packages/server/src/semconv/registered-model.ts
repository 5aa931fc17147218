import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readString } from './attributes.ts';

/** Span or resource attribute naming the registered model that served the call. */
export const REGISTERED_MODEL_NAME_KEY = 'foghorn.registered_model.name';
/** Span or resource attribute holding the version number of that registered model. */
export const REGISTERED_MODEL_VERSION_KEY = 'foghorn.registered_model.version';

/**
 * Reads the registered model as `<name>/<version>`, from the span attributes when they
 * have both keys, otherwise from the resource. Name and version are taken from the
 * same place, so a span never pairs its own name with the resource's version. Returns
 * null when neither place has both keys. A version sent as an integer is read as its
 * decimal string.
 */
export function readRegisteredModel(attributes: Attributes, resource: Attributes): string | null {
  return readPair(attributes) ?? readPair(resource);
}

function readPair(attributes: Attributes): string | null {
  const name = readString(attributes, [REGISTERED_MODEL_NAME_KEY]);
  const version = readString(attributes, [REGISTERED_MODEL_VERSION_KEY]);
  if (name === null || version === null) return null;
  return `${name.trim()}/${version.trim()}`;
}
