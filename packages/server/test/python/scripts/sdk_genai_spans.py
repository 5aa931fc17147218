"""Export GenAI spans through the OpenTelemetry Python SDK.

The exporter is chosen the way an application configures it through the
environment: OTEL_EXPORTER_OTLP_PROTOCOL is `grpc` or `http/protobuf`, and
OTEL_EXPORTER_OTLP_ENDPOINT is the collector base URL. Every span has fixed
timestamps from --start-ms, so latencies are known exactly.

Usage: sdk_genai_spans.py --start-ms MS --report PATH
"""

import argparse
import json
import os

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Tracer, set_span_in_context

NANOS_PER_MS = 1_000_000


class RateLimitError(Exception):
    """Has the class name of the `openai` client's exception for HTTP 429."""


def make_exporter():
    protocol = os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
    if protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    elif protocol == "http/protobuf":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    else:
        raise SystemExit(
            f"OTEL_EXPORTER_OTLP_PROTOCOL is {protocol!r}; expected grpc or http/protobuf"
        )
    return OTLPSpanExporter()


def at(start_ms: int, offset_ms: int) -> int:
    return (start_ms + offset_ms) * NANOS_PER_MS


def emit_agent_run(tracer: Tracer, start_ms: int) -> str:
    """Emit an agent span around two chat calls with the current (1.28+) attribute names."""
    agent = tracer.start_span(
        "invoke_agent planner",
        kind=SpanKind.INTERNAL,
        start_time=at(start_ms, 0),
        attributes={
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.agent.name": "planner",
            # Agent spans repeat the usage of their calls; it must not count twice.
            "gen_ai.usage.input_tokens": 2000,
            "gen_ai.usage.output_tokens": 600,
            "tenant.id": "acme",
            "feature.name": "planning",
        },
    )
    parent = set_span_in_context(agent)
    for index, duration_ms in enumerate([400, 600]):
        offset_ms = 10 + index * 1000
        call = tracer.start_span(
            "chat gpt-4o",
            context=parent,
            kind=SpanKind.CLIENT,
            start_time=at(start_ms, offset_ms),
            attributes={
                "gen_ai.operation.name": "chat",
                "gen_ai.provider.name": "openai",
                "gen_ai.request.model": "gpt-4o",
                "gen_ai.response.model": "gpt-4o-2024-08-06",
                "gen_ai.usage.input_tokens": 1000,
                "gen_ai.usage.cache_read.input_tokens": 200,
                "gen_ai.usage.output_tokens": 300,
            },
        )
        call.end(end_time=at(start_ms, offset_ms + duration_ms))
    agent.end(end_time=at(start_ms, 2000))
    return format(agent.get_span_context().trace_id, "032x")


def emit_legacy_call(tracer: Tracer, start_ms: int) -> None:
    """Emit a call with the names used before semantic conventions 1.28."""
    span = tracer.start_span(
        "openai.chat",
        kind=SpanKind.CLIENT,
        start_time=at(start_ms, 3000),
        attributes={
            "gen_ai.system": "openai",
            "gen_ai.request.model": "gpt-4o-mini",
            "gen_ai.usage.prompt_tokens": 500,
            "gen_ai.usage.completion_tokens": 100,
            "tenant.id": "globex",
        },
    )
    span.end(end_time=at(start_ms, 3250))


def emit_failed_call(tracer: Tracer, start_ms: int) -> None:
    """Emit a call that raises, so the SDK records the exception and sets status ERROR."""
    attributes = {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o-mini",
        "error.type": RateLimitError.__name__,
        "tenant.id": "globex",
    }
    try:
        with tracer.start_as_current_span(
            "chat gpt-4o-mini",
            kind=SpanKind.CLIENT,
            start_time=at(start_ms, 4000),
            attributes=attributes,
            end_on_exit=False,
        ) as span:
            raise RateLimitError("Rate limit reached for gpt-4o-mini")
    except RateLimitError:
        pass
    span.end(end_time=at(start_ms, 4100))


def emit_unpriced_call(tracer: Tracer, start_ms: int) -> None:
    span = tracer.start_span(
        "chat house-model-7b",
        kind=SpanKind.CLIENT,
        start_time=at(start_ms, 5000),
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "self_hosted",
            "gen_ai.request.model": "house-model-7b",
            "gen_ai.usage.input_tokens": 50,
            "gen_ai.usage.output_tokens": 20,
        },
    )
    span.end(end_time=at(start_ms, 5300))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--start-ms", type=int, required=True)
    parser.add_argument("--report", required=True)
    args = parser.parse_args()

    provider = TracerProvider(resource=Resource.create({"deployment.environment.name": "test"}))
    provider.add_span_processor(BatchSpanProcessor(make_exporter()))
    tracer = provider.get_tracer("foghorn-python-test")

    agent_trace_id = emit_agent_run(tracer, args.start_ms)
    emit_legacy_call(tracer, args.start_ms)
    emit_failed_call(tracer, args.start_ms)
    emit_unpriced_call(tracer, args.start_ms)

    if not provider.force_flush(timeout_millis=20_000):
        raise SystemExit("force_flush timed out after 20 s; the spans were not exported")
    provider.shutdown()
    with open(args.report, "w", encoding="utf-8") as report:
        json.dump({"agent_trace_id": agent_trace_id}, report)


if __name__ == "__main__":
    main()
