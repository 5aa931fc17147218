const ORIGINAL = Symbol.for('foghorn.sdk.original');

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Returns the function a wrapper replaced, so wrapping twice never records a call twice. */
export function unwrapped(fn: AnyFunction): AnyFunction {
  return ((fn as unknown as Record<symbol, AnyFunction>)[ORIGINAL] ?? fn) as AnyFunction;
}

/**
 * Replaces `target[name]` with `makeWrapper(original)`, where `original` is
 * the unwrapped function. Returns false when `target[name]` is not a function.
 */
export function wrapMethod(
  target: object | undefined | null,
  name: string,
  makeWrapper: (original: AnyFunction) => AnyFunction,
): boolean {
  if (target === null || target === undefined) return false;
  const current = (target as Record<string, unknown>)[name];
  if (typeof current !== 'function') return false;
  const original = unwrapped(current as AnyFunction);
  const wrapper = makeWrapper(original);
  Object.defineProperty(wrapper, ORIGINAL, { value: original });
  Object.defineProperty(target, name, {
    value: wrapper,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return true;
}
