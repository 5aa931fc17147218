import { context } from '@opentelemetry/api';
import { LlmCall, type CallRequest, type CallResult } from '../telemetry/llm-call.ts';
import { currentTelemetry, type Telemetry } from '../telemetry/telemetry-state.ts';
import { observeApiPromise, type ApiPromiseObserver } from './api-promise-observer.ts';
import { observeStream, type StreamObserver } from './stream-observer.ts';

/** Collects the items of one streamed response. */
export interface StreamAccumulator {
  add(item: unknown): void;
  result(): CallResult;
  /** An error the provider reported inside the stream (the stream itself ended normally), if any. */
  streamError(): unknown;
}

/**
 * The mapping of one API method's parameters and responses to GenAI telemetry.
 * `captureContent` is true while content capture is on; only then do the
 * request and result carry message builders, and streams assemble text.
 */
export interface CallInterpreter {
  /** Returns null for a call that is not recorded. */
  describe(params: unknown, client: unknown, captureContent: boolean): CallRequest | null;
  fromResponse(response: unknown, captureContent: boolean): CallResult;
  createAccumulator(captureContent: boolean): StreamAccumulator;
}

/**
 * Calls `original` inside an `LlmCall` and returns exactly what it returns.
 * When describing the call fails, the call runs unrecorded; when the method
 * throws synchronously, the span records the error and the same error is thrown.
 */
export function runInstrumented(
  original: (this: unknown, ...args: unknown[]) => unknown,
  thisArg: unknown,
  args: unknown[],
  interpreter: CallInterpreter,
  client: unknown,
): unknown {
  const telemetry = currentTelemetry();
  const call = startCall(telemetry, interpreter, args[0], client);
  if (call === null) return original.apply(thisArg, args);

  let result: unknown;
  try {
    // An inline callback, unlike a `thisArg`, spares the context manager a `bind` per call.
    result = context.with(call.context, () => original.apply(thisArg, args));
  } catch (error) {
    call.fail(error);
    throw error;
  }
  try {
    if (!observeApiPromise(result, new CallObserver(call, interpreter))) call.succeed({});
  } catch (error) {
    telemetry.reportFailure('observing the API promise', error);
  }
  return result;
}

function startCall(
  telemetry: Telemetry,
  interpreter: CallInterpreter,
  params: unknown,
  client: unknown,
): LlmCall | null {
  try {
    const request = interpreter.describe(params, client, telemetry.content !== null);
    return request === null ? null : new LlmCall(telemetry, request);
  } catch (error) {
    telemetry.reportFailure('starting a call span', error);
    return null;
  }
}

/**
 * Ends the call when the response is parsed, or observes the stream that the response is.
 * NOTE: a promise the caller never awaits, or a stream it never reads to the end or
 * closes, leaves its span open and its call counted in `gen_ai.requests.active`.
 */
class CallObserver implements ApiPromiseObserver {
  constructor(
    private readonly call: LlmCall,
    private readonly interpreter: CallInterpreter,
  ) {}

  onData(data: unknown): void {
    const call = this.call;
    try {
      call.attachTo(data);
      if (call.request.streaming && this.observeCallStream(data)) return;
      call.succeed(this.interpreter.fromResponse(data, call.telemetry.content !== null));
    } catch (error) {
      call.telemetry.reportFailure('reading a response', error);
      call.succeed({});
    }
  }

  onError(error: unknown): void {
    this.call.fail(error);
  }

  onRawResponse(): void {
    this.call.succeed({});
  }

  private observeCallStream(stream: unknown): boolean {
    const accumulator = this.interpreter.createAccumulator(this.call.telemetry.content !== null);
    return observeStream(stream, new CallStreamObserver(this.call, accumulator));
  }
}

class CallStreamObserver implements StreamObserver<unknown> {
  private accumulating = true;

  constructor(
    private readonly call: LlmCall,
    private readonly accumulator: StreamAccumulator,
  ) {}

  onItem(item: unknown): void {
    this.call.markFirstChunk();
    if (!this.accumulating) return;
    try {
      this.accumulator.add(item);
    } catch (error) {
      this.accumulating = false;
      this.call.telemetry.reportFailure('reading a stream chunk', error);
    }
  }

  onEnd(): void {
    const result = this.safeResult();
    const error = this.accumulator.streamError();
    if (error === undefined) this.call.succeed(result);
    else this.call.fail(error, result);
  }

  onError(error: unknown): void {
    this.call.fail(error, this.safeResult());
  }

  private safeResult(): CallResult {
    try {
      return this.accumulator.result();
    } catch (error) {
      this.call.telemetry.reportFailure('summarizing a stream', error);
      return {};
    }
  }
}
