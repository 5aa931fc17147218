import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** One simulated LLM call. */
export interface SimCall {
  startMs: number;
  durationMs: number;
  service: string;
  provider: string;
  model: string;
  tenant: string;
  feature: string;
  inputTokens: number;
  outputTokens: number;
  errorType: 'rate_limit' | 'server_error' | null;
  ttftMs: number | null;
  /** Set by `exportCalls`. */
  traceId?: string;
}

/** Seeded pseudo-random numbers (mulberry32), so every run sees the same traffic. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  pick<T>(weighted: readonly (readonly [T, number])[]): T {
    let roll = this.next() * weighted.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [value, weight] of weighted) {
      roll -= weight;
      if (roll <= 0) return value;
    }
    return weighted[weighted.length - 1]![0];
  }
  /** Poisson count by Knuth's method; fine for the small means used here. */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.next();
    while (product > limit && count < 1000) {
      count++;
      product *= this.next();
    }
    return count;
  }
}

export const MODELS = [
  ['gpt-4o', 'openai', 1500, 0.4],
  ['gpt-4o-mini', 'openai', 800, 0.2],
  ['claude-sonnet-4', 'anthropic', 2000, 0.4],
] as const;
export const SERVICES = [
  ['support-bot', 0.6],
  ['search-api', 0.4],
] as const;
export const TENANTS = [
  ['acme', 0.5],
  ['globex', 0.3],
  ['initech', 0.2],
] as const;
const FEATURES = [
  ['chat', 0.5],
  ['summarize', 0.3],
  ['search', 0.2],
] as const;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Shape of the traffic in one minute; an incident changes some of it. */
export interface MinuteShape {
  /** Multiplies the call rate of one tenant. */
  tenantRateFactor?: Record<string, number>;
  /** Multiplies the latency of one model. */
  modelLatencyFactor?: Record<string, number>;
  /** Share of calls to one provider that fail with a rate limit. */
  providerRateLimitShare?: Record<string, number>;
  /** Services that send nothing. */
  silentServices?: string[];
}

/**
 * Calls per minute: `baseRatePerMin` on average, with a daily cycle (peak at
 * 14:00 UTC, half the mean at night) and Poisson noise.
 */
export function generateCalls(
  random: Random,
  fromMs: number,
  toMs: number,
  baseRatePerMin: number,
  shapeAt: (minuteMs: number) => MinuteShape,
): SimCall[] {
  const calls: SimCall[] = [];
  for (let minuteMs = fromMs; minuteMs < toMs; minuteMs += MINUTE_MS) {
    const shape = shapeAt(minuteMs);
    const hourOfDay = ((minuteMs % DAY_MS) / 3_600_000 + 24) % 24;
    const daily = 1 + 0.5 * Math.sin((2 * Math.PI * (hourOfDay - 8)) / 24);
    for (const [tenant, tenantShare] of TENANTS) {
      const factor = shape.tenantRateFactor?.[tenant] ?? 1;
      const count = random.poisson(baseRatePerMin * daily * tenantShare * factor);
      for (let i = 0; i < count; i++) {
        const call = makeCall(
          random,
          minuteMs + Math.floor(random.next() * MINUTE_MS),
          tenant,
          shape,
        );
        if (call !== null) calls.push(call);
      }
    }
  }
  return calls.sort((a, b) => a.startMs - b.startMs);
}

function makeCall(
  random: Random,
  startMs: number,
  tenant: string,
  shape: MinuteShape,
): SimCall | null {
  const service = random.pick(SERVICES);
  const modelEntry = random.pick(MODELS.map((entry) => [entry, entry[3]] as const));
  if (shape.silentServices?.includes(service)) return null;
  const [model, provider, medianMs] = modelEntry;
  const latencyFactor = shape.modelLatencyFactor?.[model] ?? 1;
  const rateLimited = random.next() < (shape.providerRateLimitShare?.[provider] ?? 0);
  const serverError = random.next() < 0.002;
  const errorType = rateLimited ? 'rate_limit' : serverError ? 'server_error' : null;
  const durationMs =
    errorType === 'rate_limit'
      ? 80 + random.next() * 40
      : medianMs * latencyFactor * Math.exp(0.45 * random.normal());
  const failed = errorType !== null;
  return {
    startMs,
    durationMs,
    service,
    provider,
    model,
    tenant,
    feature: random.pick(FEATURES),
    inputTokens: failed ? 0 : Math.round(800 * Math.exp(0.5 * random.normal())),
    outputTokens: failed ? 0 : Math.round(250 * Math.exp(0.5 * random.normal())),
    errorType,
    ttftMs: failed
      ? null
      : Math.min(durationMs, 300 * latencyFactor * Math.exp(0.3 * random.normal())),
  };
}

/**
 * Exports the calls through the real OTel JS SDK and the OTLP/HTTP protobuf
 * exporter, one tracer provider per service, with explicit start and end times.
 * Sets `traceId` on every call.
 */
export async function exportCalls(otlpUrl: string, calls: SimCall[]): Promise<void> {
  for (const [service] of SERVICES) {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': service,
        'deployment.environment.name': 'sim',
      }),
      spanProcessors: [
        new BatchSpanProcessor(
          new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces`, timeoutMillis: 60_000 }),
          {
            maxQueueSize: 200_000,
            maxExportBatchSize: 8_000,
            scheduledDelayMillis: 50,
          },
        ),
      ],
    });
    const tracer = provider.getTracer('foghorn-alarm-sim');
    for (const call of calls) {
      if (call.service !== service) continue;
      const span = tracer.startSpan(`chat ${call.model}`, {
        kind: SpanKind.CLIENT,
        startTime: call.startMs,
        attributes: spanAttributes(call),
      });
      if (call.errorType !== null)
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: call.errorType === 'rate_limit' ? 'Rate limit reached' : 'Internal server error',
        });
      span.end(call.startMs + call.durationMs);
      call.traceId = span.spanContext().traceId;
    }
    await provider.forceFlush();
    await provider.shutdown();
  }
}

function spanAttributes(call: SimCall): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': call.provider,
    'gen_ai.request.model': call.model,
    'gen_ai.usage.input_tokens': call.inputTokens,
    'gen_ai.usage.output_tokens': call.outputTokens,
    'tenant.id': call.tenant,
    'feature.name': call.feature,
  };
  if (call.errorType === 'rate_limit') attributes['error.type'] = '429';
  if (call.errorType === 'server_error') attributes['error.type'] = '500';
  if (call.ttftMs !== null) attributes['gen_ai.response.time_to_first_chunk'] = call.ttftMs / 1000;
  return attributes;
}
