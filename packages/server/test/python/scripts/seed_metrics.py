"""Record LLM operation metrics around real `openai` client calls.

The block between the two marker comments is the common "custom OTel metrics
for LLM operations dashboards" example, unchanged except for the exporter
endpoint, which comes from --otlp-grpc-endpoint instead of a collector host.
The rest is the application around it: an AsyncOpenAI client pointed at the
mock provider, and a fixed list of calls, each with the outcome that its
`x-mock-outcome` header requests from the mock.

Usage: seed_metrics.py --otlp-grpc-endpoint URL --provider-url URL --report PATH
"""

import argparse
import asyncio
import json

parser = argparse.ArgumentParser()
parser.add_argument("--otlp-grpc-endpoint", required=True)
parser.add_argument("--provider-url", required=True)
parser.add_argument("--report", required=True)
args = parser.parse_args()

# ---- begin example code ----
from opentelemetry import metrics
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter

# Set up metrics export
metric_reader = PeriodicExportingMetricReader(
    OTLPMetricExporter(endpoint=args.otlp_grpc_endpoint),
    export_interval_millis=10000, # Export every 10 seconds
    )
meter_provider = MeterProvider(metric_readers=[metric_reader])
metrics.set_meter_provider(meter_provider)

meter = metrics.get_meter("llm-app.operations")

# Define operational metrics
llm_latency = meter.create_histogram(
    "gen_ai.request.duration",
    unit="s",
    description="LLM request duration in seconds",
    )

llm_tokens = meter.create_counter(
    "gen_ai.tokens.consumed",
    description="Total tokens consumed by model and type",
    )

llm_errors = meter.create_counter(
    "gen_ai.errors",
    description="LLM API errors by type and model",
    )

active_requests = meter.create_up_down_counter(
    "gen_ai.requests.active",
    description="Currently in-flight LLM requests",
    )

# Usage in application code
import time

async def monitored_llm_call(model, messages, **kwargs):
    """LLM call with full metrics instrumentation."""
    labels = {"model": model, "provider": "openai"}
    active_requests.add(1, labels)
    start = time.monotonic()

    try:
        response = await client.chat.completions.create(
            model=model, messages=messages, **kwargs
            )
        duration = time.monotonic() - start
        llm_latency.record(duration, labels)
        llm_tokens.add(response.usage.prompt_tokens,
            {**labels, "token_type": "input"})
        llm_tokens.add(response.usage.completion_tokens,
            {**labels, "token_type": "output"})
        return response

    except Exception as e:
        llm_errors.add(1, {**labels, "error_type": type(e).__name__})
        raise

    finally:
        active_requests.add(-1, labels)
# ---- end example code ----

from openai import AsyncOpenAI

# No retries, so each failing call raises once and counts as one error.
client = AsyncOpenAI(base_url=args.provider_url, api_key="test-key", max_retries=0)

# (model, forced mock outcome, extra keyword arguments of the call)
CALLS = [
    ("gpt-4o", "ok", {}),
    ("gpt-4o", "ok", {}),
    ("gpt-4o", "ok", {}),
    ("gpt-4o", "rate_limit", {}),
    ("gpt-4o-mini", "ok", {}),
    ("gpt-4o-mini", "ok", {}),
    ("gpt-4o-mini", "server_error", {}),
    # The mock keeps a `timeout` response open, so the client gives up after 1 s.
    ("gpt-4o-mini", "timeout", {"timeout": 1.0}),
]


def empty_totals() -> dict:
    return {"requests": 0, "input_tokens": 0, "output_tokens": 0, "errors": {}}


async def run_calls() -> dict:
    """Run every call and return what the client saw, per model."""
    seen: dict = {}
    for index, (model, outcome, extra) in enumerate(CALLS):
        totals = seen.setdefault(model, empty_totals())
        messages = [{"role": "user", "content": f"Question {index}: where is my order?"}]
        headers = {"x-mock-outcome": outcome, "x-mock-simulated-time": "1"}
        try:
            response = await monitored_llm_call(model, messages, extra_headers=headers, **extra)
        except Exception as error:  # noqa: BLE001 - the report records every failure class
            name = type(error).__name__
            totals["errors"][name] = totals["errors"].get(name, 0) + 1
            continue
        totals["requests"] += 1
        totals["input_tokens"] += response.usage.prompt_tokens
        totals["output_tokens"] += response.usage.completion_tokens
    return seen


def main() -> None:
    seen = asyncio.run(run_calls())
    # Shutdown runs a final collection and export, so no interval has to pass.
    meter_provider.shutdown()
    with open(args.report, "w", encoding="utf-8") as report:
        json.dump({"by_model": seen}, report)


main()
