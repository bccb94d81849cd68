"""Trace context: W3C ``traceparent`` in, a server span per request, ids for the logs.

The tracer provider is the OpenTelemetry SDK's; exporting spans (OTLP) is a deployment choice
added by configuring an exporter — ids are generated and propagated either way.
"""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.trace import TracerProvider

_provider: TracerProvider | None = None


def tracer() -> trace.Tracer:
    global _provider  # noqa: PLW0603 - one provider per process, created on first use
    if _provider is None:
        _provider = TracerProvider()
    return _provider.get_tracer("agora")


def extract_context(headers: Mapping[str, str]) -> Context:
    """The remote parent from W3C trace context headers (an empty context when absent)."""
    return propagate.extract(dict(headers))


def current_ids() -> tuple[str | None, str | None]:
    """(trace_id, span_id) of the current span as lowercase hex, or (None, None)."""
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None, None
    return format(ctx.trace_id, "032x"), format(ctx.span_id, "016x")
