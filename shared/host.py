"""The subgraph host: one process serving one or many subgraphs, each under ``/<name>``.

Embedded (``make up``) it hosts them all; in production each deployment hosts one. Either way the
URLs are the same (``/<name>/graphql``), so one committed supergraph serves every wiring.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from prometheus_client import REGISTRY
from prometheus_client.exposition import choose_encoder
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from shared.app import SubgraphApp
from shared.bus.base import EventBus

log = logging.getLogger(__name__)


def create_host(subgraphs: Sequence[SubgraphApp], bus: EventBus) -> Starlette:
    """A Starlette app mounting every subgraph, with host-wide health, readiness and metrics."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        started: list[SubgraphApp] = []
        try:
            for subgraph in subgraphs:
                await subgraph.start()
                started.append(subgraph)
            await bus.start()
            log.info("subgraph host started", extra={"subgraphs": [s.name for s in subgraphs]})
            yield
        finally:
            for subgraph in reversed(started):
                await subgraph.infra.relay.stop()  # no publishing into a stopped bus
            await bus.stop()
            for subgraph in reversed(started):
                await subgraph.stop()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "subgraphs": [s.name for s in subgraphs]})

    async def readyz(request: Request) -> Response:
        report = {s.name: await s.readiness() for s in subgraphs}
        ready = all(v == "ok" for checks in report.values() for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "unavailable", "subgraphs": report},
            status_code=200 if ready else 503,
        )

    async def metrics(request: Request) -> Response:
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encoder(REGISTRY), headers={"content-type": content_type})

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),  # exactly /metrics: no redirect to /metrics/
        *(Mount(f"/{s.name}", s.asgi) for s in subgraphs),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
