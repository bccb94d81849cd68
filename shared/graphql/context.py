"""The request context every resolver sees: principal, request id, loaders, services' needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.websockets import WebSocket

from shared.auth import ANONYMOUS, Principal
from shared.db import Database
from shared.graphql.dataloaders import Loaders
from shared.settings import Settings


@dataclass
class RequestContext:
    """Subgraphs subclass this to add what their resolvers need (database, unit of work, bus)."""

    request: Request | WebSocket
    principal: Principal
    request_id: str
    loaders: Loaders
    extra: dict[str, Any] = field(default_factory=dict)
    connection_params: dict[str, Any] | None = None
    """The ``connection_init`` payload of a WebSocket connection (set by Strawberry)."""


def request_fields(
    request: Request | WebSocket, settings: Settings, database: Database
) -> dict[str, Any]:
    """The fields of ``RequestContext`` for one request, for subclasses' constructors."""
    return {
        "request": request,
        # Verified by RouterSignatureMiddleware (HTTP) or SubgraphGraphQL.on_ws_connect (WebSocket).
        "principal": request.scope.get("state", {}).get("principal", ANONYMOUS),
        "request_id": request.scope.get("state", {}).get("request_id", ""),
        "loaders": Loaders(lambda loader: loader(database)),
    }
