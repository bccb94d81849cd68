"""The subgraph app factory: one Starlette app per subgraph with GraphQL, health and lifecycle.

A ``SubgraphApp`` is what each ``subgraphs/<name>/app.py`` builds. The host (``shared.host``)
mounts one or many of them under ``/<name>`` and drives their ``start``/``stop``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from shared.auth import (
    WEBSOCKET_SIGNED_BODY,
    InvalidIdentity,
    decode_identity,
    verify_signature,
)
from shared.middleware import RequestContextMiddleware, RouterSignatureMiddleware
from shared.wiring import SubgraphInfra

log = logging.getLogger(__name__)
ContextGetter = Callable[[Request | WebSocket], Awaitable[Any]]
Hook = Callable[[], Awaitable[None]]
READINESS_TIMEOUT = 2.0


class SubgraphGraphQL(GraphQL[Any, None]):
    """Strawberry's ASGI view with our context and orjson encoding."""

    def __init__(
        self,
        schema: strawberry.federation.Schema,
        context_getter: ContextGetter,
        *,
        router_secret: str,
        multipart_uploads: bool = False,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None,  # the router serves the Laboratory; subgraphs are not for humans
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=None,  # the router multiplexes every client on one socket
            multipart_uploads_enabled=multipart_uploads,
        )
        self._context_getter = context_getter
        self._router_secret = router_secret

    async def get_context(self, request: Request | WebSocket, response: Any) -> Any:
        return await self._context_getter(request)

    async def on_ws_connect(self, context: Any) -> UnsetType:
        """Accept a subscription connection only when ``connection_init`` is signed by the router.

        The payload carries ``identity`` and ``signature`` (see ``shared.auth``); the verified
        principal replaces the anonymous one on the connection's context.
        """
        params = getattr(context, "connection_params", None)
        params = params if isinstance(params, dict) else {}
        identity = params.get("identity") or ""
        signature = params.get("signature")
        if not isinstance(identity, str) or not isinstance(signature, str):
            raise ConnectionRejectionError({"code": "UNSIGNED_REQUEST"})
        if not verify_signature(self._router_secret, signature, identity, WEBSOCKET_SIGNED_BODY):
            raise ConnectionRejectionError({"code": "UNSIGNED_REQUEST"})
        try:
            context.principal = decode_identity(identity)
        except InvalidIdentity:
            raise ConnectionRejectionError({"code": "UNSIGNED_REQUEST"}) from None
        unset: UnsetType = UNSET
        return unset

    def encode_json(self, data: object) -> str:
        # Text, not bytes: Strawberry sends bytes as binary WebSocket frames, which
        # graphql-transport-ws clients (the router) cannot parse.
        return orjson.dumps(data).decode()


@dataclass
class SubgraphApp:
    """One subgraph ready to serve: its schema, context, infrastructure and extra lifecycle hooks."""

    schema: strawberry.federation.Schema
    context_getter: ContextGetter
    infra: SubgraphInfra
    on_start: Sequence[Hook] = ()
    on_stop: Sequence[Hook] = ()
    multipart_uploads: bool = False
    """GraphQL multipart requests (file uploads); off unless a subgraph takes files."""
    max_body_bytes: int = 2_000_000
    """Largest request body ``/graphql`` accepts (413 beyond); raise it for uploads."""
    routes: Sequence[BaseRoute] = ()
    """Extra public routes (not signed: JWKS, media files); ``/graphql`` is always signed."""
    asgi: Starlette = field(init=False)

    @property
    def name(self) -> str:
        return self.infra.name

    def __post_init__(self) -> None:
        view = SubgraphGraphQL(
            self.schema,
            self.context_getter,
            router_secret=self.infra.settings.router_secret,
            multipart_uploads=self.multipart_uploads,
        )
        app = Starlette(
            routes=[
                Route("/graphql", view, methods=["POST", "GET"]),
                WebSocketRoute("/graphql", view),
                Route("/healthz", self._healthz, methods=["GET"]),
                Route("/readyz", self._readyz, methods=["GET"]),
                *self.routes,
            ]
        )
        app.add_middleware(
            RouterSignatureMiddleware,
            secret=self.infra.settings.router_secret,
            max_body_bytes=self.max_body_bytes,
        )
        app.add_middleware(RequestContextMiddleware, subgraph=self.name)
        self.asgi = app

    async def _healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "subgraph": self.name})

    async def readiness(self) -> dict[str, str]:
        """Run every readiness check; a check that raises or times out reports its error."""
        results: dict[str, str] = {}
        for check_name, check in self.infra.readiness_checks():
            try:
                await asyncio.wait_for(check(), timeout=READINESS_TIMEOUT)
                results[check_name] = "ok"
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                results[check_name] = f"error: {type(exc).__name__}"
                log.warning(
                    "readiness check failed", extra={"check": check_name, "error": repr(exc)}
                )
        return results

    async def _readyz(self, request: Request) -> Response:
        checks = await self.readiness()
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {
                "status": "ready" if ready else "unavailable",
                "subgraph": self.name,
                "checks": checks,
            },
            status_code=200 if ready else 503,
        )

    async def start(self) -> None:
        await self.infra.start()
        try:
            for hook in self.on_start:
                await hook()
        except BaseException:
            await self.infra.stop()  # the host stops only what started: leave no relay running
            raise

    async def stop(self) -> None:
        for hook in [*reversed(self.on_stop), self.infra.stop]:
            try:
                await hook()
            except Exception:
                log.exception("error while stopping subgraph", extra={"subgraph": self.name})
