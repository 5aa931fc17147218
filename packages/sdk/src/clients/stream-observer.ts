/** Receives a stream's items without changing them; no method may throw. */
export interface StreamObserver<T> {
  onItem(item: T): void;
  /** The stream ended, or the caller closed it early (`completed` false). */
  onEnd(completed: boolean): void;
  onError(error: unknown): void;
}

interface StainlessStream<T> {
  iterator: () => AsyncIterator<T>;
  [OBSERVATION]?: StreamObservation<T>;
}

interface StreamObservation<T> {
  createIterator: () => AsyncIterator<T>;
  observer: StreamObserver<T>;
}

const OBSERVATION = Symbol('foghorn.streamObservation');

/**
 * Observes a stream of the `openai` or `@anthropic-ai/sdk` client in place: the
 * caller keeps the same object, with its class, `controller`, `tee()` and
 * `toReadableStream()`, and receives the same items and errors. Returns false
 * when the object has no `iterator` function to observe.
 */
export function observeStream<T>(stream: unknown, observer: StreamObserver<T>): boolean {
  const target = stream as StainlessStream<T>;
  const createIterator = target?.iterator;
  if (typeof createIterator !== 'function') return false;
  target[OBSERVATION] = { createIterator, observer };
  target.iterator = observedIterator;
  return true;
}

/**
 * Replaces a stream's `iterator` method and finds its state under a symbol,
 * so observing a stream creates no function per call.
 */
function observedIterator<T>(this: StainlessStream<T>): AsyncIterator<T> {
  const observation = this[OBSERVATION]!;
  return new ObservedIterator(observation.createIterator.call(this), observation.observer);
}

/**
 * Passes every call to the inner iterator and returns its promises
 * themselves, so the caller awaits exactly what it would without
 * instrumentation. The observer receives each result from a reaction on the same
 * promise, registered first, so it runs before the caller's code. The two
 * reaction callbacks are bound once per stream rather than declared as arrow
 * fields, because `tsx` (esbuild `keepNames`) gives every named arrow function
 * a `defineProperty` call when it is created.
 */
class ObservedIterator<T> implements AsyncIterableIterator<T> {
  private readonly onResult: (result: IteratorResult<T>) => void;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly inner: AsyncIterator<T>,
    private readonly observer: StreamObserver<T>,
  ) {
    this.onResult = this.receiveResult.bind(this);
    this.onError = this.receiveError.bind(this);
  }

  private receiveResult(result: IteratorResult<T>): void {
    if (result.done === true) this.observer.onEnd(true);
    else this.observer.onItem(result.value);
  }

  private receiveError(error: unknown): void {
    this.observer.onError(error);
  }

  /** Forwards `next()` and `next(value)` as called, without collecting the arguments into an array per chunk. */
  next(value?: unknown): Promise<IteratorResult<T>> {
    const result = arguments.length === 0 ? this.inner.next() : this.inner.next(value);
    result.then(this.onResult, this.onError);
    return result;
  }

  async return(value?: unknown): Promise<IteratorResult<T>> {
    this.observer.onEnd(false);
    return this.inner.return === undefined
      ? { done: true, value: value as T }
      : this.inner.return(value);
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    if (this.inner.throw === undefined) throw error;
    return this.inner.throw(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
