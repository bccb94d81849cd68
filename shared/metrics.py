"""Prometheus metrics shared by every subgraph (label ``subgraph`` tells them apart)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter(
    "agora_http_requests_total",
    "HTTP requests handled, by subgraph, method and status.",
    ["subgraph", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "agora_http_request_duration_seconds",
    "HTTP request latency, by subgraph.",
    ["subgraph"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
GRAPHQL_OPERATIONS = Counter(
    "agora_graphql_operations_total",
    "GraphQL operations executed, by subgraph, operation type and outcome.",
    ["subgraph", "operation_type", "outcome"],
)
EVENTS_PUBLISHED = Counter(
    "agora_events_published_total",
    "Outbox events published to the bus.",
    ["subgraph", "event_type"],
)
EVENTS_CONSUMED = Counter(
    "agora_events_consumed_total",
    "Events handled by consumers, by outcome (applied, duplicate, failed).",
    ["subgraph", "event_type", "outcome"],
)
