import { runInstrumented, type CallInterpreter } from './run-instrumented.ts';
import { wrapMethod } from './wrap-method.ts';

/**
 * Wraps `resource[method]` of one client instance, or of a resource class's
 * prototype when `client` is null (the client is then read from `this._client`,
 * the field both Stainless-generated clients keep on every resource).
 */
export function instrumentResource(
  resource: object | undefined,
  method: string,
  interpreter: CallInterpreter,
  client: object | null,
  beforeCall?: (client: unknown) => void,
): boolean {
  return wrapMethod(
    resource,
    method,
    (original) =>
      function instrumentedMethod(this: unknown, ...args: unknown[]) {
        const owner = client ?? (this as { _client?: unknown })?._client;
        beforeCall?.(owner);
        return runInstrumented(original, this, args, interpreter, owner);
      },
  );
}
