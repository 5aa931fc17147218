/** The SDK's diagnostic output. Every method receives one line without a trailing newline. */
export interface FoghornLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const discard = (): void => {};

/** The default logger: the SDK prints nothing unless the host passes a logger. */
export const NOOP_LOGGER: FoghornLogger = Object.freeze({
  debug: discard,
  info: discard,
  warn: discard,
  error: discard,
});

/** A logger that writes to the console, for local debugging. */
export const CONSOLE_LOGGER: FoghornLogger = Object.freeze({
  debug: (message: string) => console.debug(message),
  info: (message: string) => console.info(message),
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
});

/** Prefixes every line with `[foghorn]` and swallows what the host logger throws. */
export function prefixLogger(logger: FoghornLogger): FoghornLogger {
  const write = (level: keyof FoghornLogger) => (message: string) => {
    try {
      logger[level](`[foghorn] ${message}`);
    } catch {
      // A failing host logger must not turn telemetry output into an application error.
    }
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
