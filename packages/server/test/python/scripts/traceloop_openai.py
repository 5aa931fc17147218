"""Trace real `openai` client calls with traceloop-sdk (OpenLLMetry).

Traceloop.init sends spans over OTLP/HTTP to --api-endpoint, one export per
span (disable_batch=True). A @workflow function makes two chat calls against
the mock provider: gpt-4o with a system prompt long enough for the mock to
report cached input tokens, then gpt-4o-mini with a short prompt.

Usage: traceloop_openai.py --api-endpoint URL --provider-url URL --report PATH
"""

import argparse
import json

from openai import OpenAI
from opentelemetry import trace
from traceloop.sdk import Traceloop
from traceloop.sdk.decorators import workflow

# The mock counts ceil(characters / 4) tokens and reports a prompt prefix of at
# least 1024 tokens as cached, so this system prompt yields 1024 cached tokens.
SYSTEM_PROMPT = "You answer questions about orders and refunds. " * 90
OK_HEADERS = {"x-mock-outcome": "ok", "x-mock-simulated-time": "1"}


def usage_of(response) -> dict:
    details = response.usage.prompt_tokens_details
    return {
        "model": response.model,
        "prompt_tokens": response.usage.prompt_tokens,
        "completion_tokens": response.usage.completion_tokens,
        "cached_tokens": 0 if details is None else (details.cached_tokens or 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-endpoint", required=True)
    parser.add_argument("--provider-url", required=True)
    parser.add_argument("--report", required=True)
    args = parser.parse_args()

    Traceloop.init(
        app_name="traceloop-python-test",
        api_endpoint=args.api_endpoint,
        disable_batch=True,
        telemetry_enabled=False,
    )
    client = OpenAI(base_url=args.provider_url, api_key="test-key", max_retries=0)

    @workflow(name="answer_question")
    def answer_question() -> dict:
        long_call = client.chat.completions.create(
            model="gpt-4o",
            messages=[
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": "Where is order 1042?"},
            ],
            extra_headers=OK_HEADERS,
        )
        short_call = client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": "Summarize the answer in one line."}],
            extra_headers=OK_HEADERS,
        )
        trace_id = trace.get_current_span().get_span_context().trace_id
        return {
            "trace_id": format(trace_id, "032x"),
            "calls": {"gpt-4o": usage_of(long_call), "gpt-4o-mini": usage_of(short_call)},
        }

    report = answer_question()
    if not trace.get_tracer_provider().force_flush(20_000):
        raise SystemExit("force_flush timed out after 20 s; the spans were not exported")
    with open(args.report, "w", encoding="utf-8") as file:
        json.dump(report, file)


if __name__ == "__main__":
    main()
