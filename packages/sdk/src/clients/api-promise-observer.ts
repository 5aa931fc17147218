/** Hooks into one API call's promise; no method may throw. */
export interface ApiPromiseObserver {
  /** Receives the parsed response (an object, or a stream), which the caller then gets unchanged. */
  onData(data: unknown): void;
  onError(error: unknown): void;
  /** The caller took the raw `Response` with `asResponse()`, so the body is never parsed here. */
  onRawResponse(): void;
}

interface StainlessApiPromise {
  parseResponse: (...args: unknown[]) => Promise<unknown>;
  parse: () => Promise<unknown>;
  asResponse: () => Promise<unknown>;
  /** Derives a promise whose parsing transforms this one's; helpers such as `parse()` use it. */
  _thenUnwrap?: (transform: unknown) => unknown;
  [OBSERVATION]?: Observation;
}

interface Observation {
  observer: ApiPromiseObserver;
  parseResponse: (...args: unknown[]) => Promise<unknown>;
  parse: () => Promise<unknown>;
  asResponse: () => Promise<unknown>;
  thenUnwrap: ((transform: unknown) => unknown) | undefined;
  parseStarted: boolean;
}

const OBSERVATION = Symbol('foghorn.observation');

/**
 * Observes an `APIPromise` of the `openai` or `@anthropic-ai/sdk` client in
 * place, and returns the same object. Its body is parsed as before, only when
 * the caller awaits it. The parsed value goes to `onData`, and a failure of the
 * request or of parsing goes to `onError`. Returns false, changing nothing, when
 * the promise lacks the members this relies on. The replacement methods are
 * shared and find their state under a symbol, so a call creates no functions
 * beyond the two small callbacks it registers.
 */
export function observeApiPromise(promise: unknown, observer: ApiPromiseObserver): boolean {
  const target = promise as StainlessApiPromise;
  if (
    typeof target?.parseResponse !== 'function' ||
    typeof target.parse !== 'function' ||
    typeof target.asResponse !== 'function'
  ) {
    return false;
  }
  target[OBSERVATION] = {
    observer,
    parseResponse: target.parseResponse,
    parse: target.parse,
    asResponse: target.asResponse,
    thenUnwrap: typeof target._thenUnwrap === 'function' ? target._thenUnwrap : undefined,
    parseStarted: false,
  };
  target.parseResponse = observedParseResponse;
  target.parse = observedParse;
  target.asResponse = observedAsResponse;
  if (typeof target._thenUnwrap === 'function') target._thenUnwrap = observedThenUnwrap;
  return true;
}

/**
 * Observes the promise that a helper such as `chat.completions.parse()` derives
 * and returns to the caller in place of this one, which is never awaited. The
 * derived promise parses through this one's `parseResponse`, which reports the
 * data. So only its failures, such as a failed request, are reported from it.
 */
function observedThenUnwrap(this: StainlessApiPromise, transform: unknown): unknown {
  const observation = this[OBSERVATION]!;
  const derived = observation.thenUnwrap!.call(this, transform);
  const observer = observation.observer;
  observeApiPromise(derived, {
    onData: ignoreData,
    onError: (error) => observer.onError(error),
    onRawResponse: () => observer.onRawResponse(),
  });
  return derived;
}

function ignoreData(): void {}

/**
 * Called by the client with `this` bound to the API promise, whose own
 * `parseResponse` this replaced. Returns the original's promise itself, after
 * registering the observer's reaction on it first, so `onData` runs before the
 * caller's code and no extra async function wraps the parsing.
 */
function observedParseResponse(this: StainlessApiPromise, ...args: unknown[]): Promise<unknown> {
  const observation = this[OBSERVATION]!;
  const parsed = observation.parseResponse.apply(this, args);
  // A failure here also rejects `parse()`, whose observer reports it.
  Promise.resolve(parsed).then((data) => observation.observer.onData(data), ignoreRejection);
  return parsed;
}

function ignoreRejection(): void {}

function observedParse(this: StainlessApiPromise): Promise<unknown> {
  const observation = this[OBSERVATION]!;
  const parsed = observation.parse.call(this);
  if (!observation.parseStarted) {
    observation.parseStarted = true;
    parsed.then(undefined, (error: unknown) => observation.observer.onError(error));
  }
  return parsed;
}

function observedAsResponse(this: StainlessApiPromise): Promise<unknown> {
  const observation = this[OBSERVATION]!;
  const response = observation.asResponse.call(this);
  if (!observation.parseStarted) {
    response.then(
      () => observation.observer.onRawResponse(),
      (error: unknown) => observation.observer.onError(error),
    );
  }
  return response;
}
