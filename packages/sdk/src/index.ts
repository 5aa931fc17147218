export { init, shutdown } from './init.ts';
export type { FoghornSdk } from './init.ts';
export type { FoghornOptions } from './config/options.ts';
export { SDK_DEFAULTS } from './config/defaults.ts';
export type { ExporterKind } from './config/defaults.ts';
export { FoghornConfigError } from './config/config-error.ts';
export {
  FOGHORN_ALARM_THRESHOLDS_SECONDS,
  GENAI_DURATION_BUCKETS_SECONDS,
  GENAI_TOKEN_BUCKETS,
} from './config/buckets.ts';
export { instrumentOpenAI } from './openai/instrument-openai.ts';
export type { InstrumentClientOptions } from './openai/instrument-openai.ts';
export { instrumentAnthropic } from './anthropic/instrument-anthropic.ts';
export { withAttribution, currentAttribution, ATTRIBUTION_KEYS } from './telemetry/attribution.ts';
export type { Attribution } from './telemetry/attribution.ts';
export { classifyError } from './telemetry/error-type.ts';
export type { ErrorType } from './telemetry/error-type.ts';
export { spanContextOf } from './telemetry/span-registry.ts';
export { score } from './score.ts';
export type { ScoreOptions, ScoreResult } from './score.ts';
export { CONSOLE_LOGGER, NOOP_LOGGER } from './telemetry/logger.ts';
export type { FoghornLogger } from './telemetry/logger.ts';
