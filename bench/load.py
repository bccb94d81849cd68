"""A closed-loop load generator: N clients, each sending the next request when one returns."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self) -> str:
        return (
            f"{self.name:<44} {self.rps:8.1f} req/s   p50 {self.percentile(0.5):7.2f} ms   "
            f"p95 {self.percentile(0.95):7.2f} ms   errors {self.errors}"
        )


async def run_load(
    name: str,
    url: str,
    body: dict[str, Any],
    *,
    clients: int,
    seconds: float,
    warmup: float = 1.0,
    check: str,
    sign: Callable[[bytes], dict[str, str]] | None = None,
) -> Result:
    """Hammer ``url`` with ``body``; a response without ``check`` in it counts as an error.

    ``sign`` gives per-request headers for the raw body (a subgraph called directly needs the
    router's signature, computed per request like the router does).
    """
    raw = orjson.dumps(body)

    def headers() -> dict[str, str]:
        return {"content-type": "application/json", **(sign(raw) if sign else {})}

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        warm_end = time.perf_counter() + warmup
        while time.perf_counter() < warm_end:
            await client.post(url, content=raw, headers=headers())
        stop_at = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                response = await client.post(url, content=raw, headers=headers())
                latencies.append((time.perf_counter() - started) * 1000)
                if (
                    response.status_code != 200
                    or check not in response.text
                    or '"errors"' in response.text
                ):
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return Result(name, len(latencies), errors, elapsed, latencies)


def median_of(results: list[Result]) -> Result:
    """The run with the median throughput."""
    return sorted(results, key=lambda r: r.rps)[len(results) // 2]


def ratio(a: Result, b: Result) -> str:
    return f"{a.rps / b.rps:.2f}"


__all__ = ["Result", "median_of", "ratio", "run_load", "statistics"]
