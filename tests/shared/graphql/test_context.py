"""The request context: principal verified by the signature middleware, request id, loaders."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from shared.auth import ANONYMOUS, signed_headers
from shared.db import Database
from shared.graphql.context import RequestContext, request_fields
from shared.graphql.dataloaders import DatabaseLoader
from shared.middleware import RequestContextMiddleware, RouterSignatureMiddleware
from shared.settings import Settings
from tests.graphql_client import STAFF


class NamesLoader(DatabaseLoader[str, str]):
    async def batch_load_fn(self, keys: list[str]) -> list[str]:
        return [k.upper() for k in keys]


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings.database_for("catalog"))
    yield database
    await database.dispose()


@pytest.fixture
def seen() -> list[RequestContext]:
    return []


@pytest.fixture
async def http(
    settings: Settings, database: Database, seen: list[RequestContext]
) -> AsyncIterator[httpx.AsyncClient]:
    async def endpoint(request: Request) -> Response:
        context = RequestContext(**request_fields(request, settings, database))
        seen.append(context)
        name = await context.loaders.get(NamesLoader).load("ada")
        return JSONResponse({"name": name})

    app = Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])])
    app.add_middleware(RouterSignatureMiddleware, secret=settings.router_secret)
    app.add_middleware(RequestContextMiddleware, subgraph="ctx")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://ctx"
    ) as client:
        yield client


async def test_request_fields(
    http: httpx.AsyncClient, settings: Settings, database: Database, seen: list[RequestContext]
) -> None:
    signed = signed_headers(settings.router_secret, STAFF, b"{}")
    staff = await http.post("/graphql", content=b"{}", headers={**signed, "x-request-id": "req-1"})
    anonymous = await http.post(
        "/graphql", content=b"{}", headers=signed_headers(settings.router_secret, ANONYMOUS, b"{}")
    )

    assert staff.json() == {"name": "ADA"}
    first, second = seen
    assert first.principal == STAFF
    assert second.principal == ANONYMOUS
    assert first.request_id == "req-1"
    assert second.request_id == anonymous.headers["x-request-id"]
    loader = first.loaders.get(NamesLoader)
    assert loader.database is database
    assert loader is not second.loaders.get(NamesLoader)
    assert first.extra == {}
