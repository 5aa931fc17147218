import { pino, type Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Creates the process logger: JSON lines on stderr. */
export function createLogger(level: string): Logger {
  const valid = LEVELS.includes(level);
  const logger = pino(
    { level: valid ? level : 'info', base: { service: 'foghorn' } },
    pino.destination(2),
  );
  if (!valid)
    logger.warn(
      `FOGHORN_LOG_LEVEL / --log-level "${level}" is invalid; use one of ${LEVELS.join(', ')}; using info`,
    );
  return logger;
}
