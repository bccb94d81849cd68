"""Error masking: public errors keep message and code; every other error is masked and logged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import strawberry
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route
from starlette.websockets import WebSocket

from shared.app import SubgraphApp, SubgraphGraphQL
from shared.auth import Permission, PermissionDenied
from shared.graphql.errors import Forbidden, NotAuthenticated, PublicError
from shared.graphql.schema import build_schema
from shared.middleware import RequestContextMiddleware
from shared.settings import load_settings
from tests.graphql_client import SubgraphClient
from tests.shared.logs import json_logs

SECRET = "secret SQL: SELECT password_hash FROM staff WHERE id = 7"
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
TRACEPARENT = f"00-{TRACE_ID}-b7ad6b7169203331-01"


class OutOfStock(PublicError):
    code = "OUT_OF_STOCK"


@strawberry.type
class Query:
    @strawberry.field
    def fine(self) -> str:
        return "fine"

    @strawberry.field
    def broken(self) -> str | None:
        raise RuntimeError(SECRET)

    @strawberry.field
    async def broken_async(self) -> str | None:
        raise KeyError(SECRET)

    @strawberry.field
    def out_of_stock(self) -> str | None:
        raise OutOfStock("Only 2 left.", field="quantity")

    @strawberry.field
    def bad_input(self) -> str | None:
        raise PublicError("Give exactly one of id and slug.", code="BAD_USER_INPUT")

    @strawberry.field
    def plain_public(self) -> str | None:
        raise PublicError("Something you can fix.")

    @strawberry.field
    def not_signed_in(self) -> str | None:
        raise NotAuthenticated()

    @strawberry.field
    def forbidden(self) -> str | None:
        raise Forbidden()

    @strawberry.field
    def denied_by_a_service(self) -> str | None:
        raise PermissionDenied(Permission.MANAGE_ORDERS)


FINE_AND_BROKEN = "{ fine broken }"
BROKEN_ASYNC = "{ brokenAsync }"
PUBLIC_ERRORS = "{ outOfStock badInput plainPublic notSignedIn forbidden deniedByAService }"
UNKNOWN_FIELD = "{ nope }"
SYNTAX_ERROR = "{ fine "
PRODUCTS = "{ products(first: 5) { edges { node { id name } } } }"

schema = build_schema(settings=load_settings({}), query=Query)


async def _context(request: Request | WebSocket) -> dict[str, Any]:
    return {"request": request}


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """The tiny schema served like a subgraph: SubgraphGraphQL behind the request middleware."""
    app = Starlette(
        routes=[
            Route(
                "/graphql",
                SubgraphGraphQL(schema, _context, router_secret="r" * 32),
                methods=["POST"],
            )
        ]
    )
    app.add_middleware(RequestContextMiddleware, subgraph="tiny")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://tiny"
    ) as client:
        yield client


async def test_an_unexpected_error_is_masked(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": FINE_AND_BROKEN})

    assert response.status_code == 200
    assert response.json() == {
        "data": {"fine": "fine", "broken": None},
        "errors": [
            {
                "message": "Unexpected error.",
                "locations": [{"line": 1, "column": 8}],
                "path": ["broken"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
    }
    for leak in ("secret", "SELECT", "password", "RuntimeError"):
        assert leak not in response.text


async def test_an_unexpected_error_is_logged_with_traceback_request_and_trace_ids(
    http: httpx.AsyncClient,
) -> None:
    with json_logs() as lines:
        response = await http.post(
            "/graphql",
            json={"query": BROKEN_ASYNC},
            headers={"traceparent": TRACEPARENT, "x-request-id": "req-masked"},
        )

    assert response.json()["errors"][0]["message"] == "Unexpected error."
    [logged] = [line for line in lines() if line["event"] == "unexpected error in resolver"]
    assert logged["logger"] == "agora.graphql"
    assert logged["level"] == "error"
    assert logged["request_id"] == "req-masked" == response.headers["x-request-id"]
    assert logged["trace_id"] == TRACE_ID
    assert logged["subgraph"] == "tiny"
    assert logged["path"] == ["brokenAsync"]
    assert "Traceback (most recent call last)" in logged["exception"]
    assert "KeyError" in logged["exception"]
    assert SECRET in logged["exception"]  # the log keeps what the client must not see


async def test_schema_execute_masks_too() -> None:
    result = await schema.execute(FINE_AND_BROKEN)

    assert result.data == {"fine": "fine", "broken": None}
    assert result.errors is not None
    [error] = result.errors
    assert error.message == "Unexpected error."
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert error.original_error is None


async def test_public_errors_keep_their_message_and_code(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": PUBLIC_ERRORS})

    body = response.json()
    assert body["data"] == dict.fromkeys(
        ["outOfStock", "badInput", "plainPublic", "notSignedIn", "forbidden", "deniedByAService"]
    )
    errors = {e["path"][0]: (e["message"], e["extensions"]) for e in body["errors"]}
    assert errors == {
        "outOfStock": ("Only 2 left.", {"code": "OUT_OF_STOCK", "field": "quantity"}),
        "badInput": ("Give exactly one of id and slug.", {"code": "BAD_USER_INPUT"}),
        "plainPublic": ("Something you can fix.", {"code": "BAD_REQUEST"}),
        "notSignedIn": ("You must be signed in to do this.", {"code": "UNAUTHENTICATED"}),
        "forbidden": ("You do not have permission to do this.", {"code": "FORBIDDEN"}),
        "deniedByAService": (
            "This needs the MANAGE_ORDERS permission.",
            {"code": "FORBIDDEN"},
        ),
    }


async def test_public_errors_are_not_logged_as_unexpected(http: httpx.AsyncClient) -> None:
    with json_logs() as lines:
        await http.post("/graphql", json={"query": PUBLIC_ERRORS})

    assert not [line for line in lines() if line["event"] == "unexpected error in resolver"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (UNKNOWN_FIELD, "Cannot query field 'nope' on type 'Query'."),
        (SYNTAX_ERROR, "Syntax Error: Expected Name, found <EOF>."),
    ],
)
async def test_parse_and_validation_errors_reach_the_client(
    http: httpx.AsyncClient, document: str, message: str
) -> None:
    response = await http.post("/graphql", json={"query": document})

    [error] = response.json()["errors"]
    assert error["message"] == message


async def test_a_database_error_in_a_real_subgraph_is_masked(
    catalog: SubgraphApp, catalog_client: SubgraphClient, backend: str
) -> None:
    cascade = " CASCADE" if backend == "postgres" else ""
    async with catalog.infra.database.engine.begin() as conn:
        await conn.execute(text(f"DROP TABLE product_variants{cascade}"))
        await conn.execute(text(f"DROP TABLE products{cascade}"))

    with json_logs() as lines:
        result = await catalog_client.execute(PRODUCTS)

    assert result["data"] is None
    assert result["errors"] == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["products"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ]
    [logged] = [line for line in lines() if line["event"] == "unexpected error in resolver"]
    assert "products" in logged["exception"]
    assert logged["subgraph"] == "catalog"
