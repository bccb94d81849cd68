"""Permission classes: UNAUTHENTICATED without a principal, FORBIDDEN without the permission."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
import strawberry
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.types import Info

from shared.app import ContextGetter, SubgraphApp
from shared.auth import Permission, Principal
from shared.graphql.permissions import HasPermission, IsAuthenticated, requires
from shared.graphql.schema import build_schema
from shared.settings import load_settings
from tests.graphql_client import STAFF, SubgraphClient
from tests.sql_counting import counting_sql

PRODUCT_CREATE = """
mutation Create($input: ProductCreateInput!) {
  productCreate(input: $input) {
    product { id name status price { amount currencyCode } }
    userErrors { field message code }
  }
}
"""
PRODUCT_COUNT = "{ products(filter: { status: [DRAFT, PUBLISHED] }) { totalCount } }"
LAMP = {"input": {"name": "Desk lamp", "price": {"amount": "24.90", "currencyCode": "EUR"}}}

CUSTOMER = Principal(kind="customer", id="c-1", name="Cleo")
MODERATOR = Principal.staff("s-2", [Permission.MANAGE_REVIEWS], name="Mo", mfa=True)
MODERATOR_WITHOUT_MFA = Principal.staff("s-3", [Permission.MANAGE_REVIEWS], mfa=False)


def as_principal(getter: ContextGetter, principal: Principal) -> ContextGetter:
    """The subgraph's own context, for a caller the dev token cannot stand for."""

    async def context(request: Request | WebSocket) -> Any:
        return dataclasses.replace(await getter(request), principal=principal)

    return context


@pytest.fixture(params=[CUSTOMER, MODERATOR], ids=["customer", "staff-without-permission"])
async def unprivileged(
    request: pytest.FixtureRequest, catalog: SubgraphApp
) -> AsyncIterator[SubgraphClient]:
    app = SubgraphApp(
        schema=catalog.schema,
        context_getter=as_principal(catalog.context_getter, request.param),
        infra=catalog.infra,
    )
    client = SubgraphClient(app)
    yield client
    await client.aclose()


async def _product_count(client: SubgraphClient) -> int:
    result = await client.execute(PRODUCT_COUNT, principal=STAFF)
    return int(result["data"]["products"]["totalCount"])


@pytest.mark.parametrize(
    "headers",
    [{}, {"authorization": "Bearer not-the-token"}, {"authorization": "Basic dev-staff-token"}],
    ids=["no-token", "wrong-token", "wrong-scheme"],
)
async def test_anonymous_callers_are_unauthenticated(
    catalog_client: SubgraphClient, headers: dict[str, str]
) -> None:
    with counting_sql(catalog_client.app.infra.database) as statements:
        result = await catalog_client.execute(PRODUCT_CREATE, LAMP, headers=headers)

    assert result["data"] is None
    [error] = result["errors"]
    assert error["message"] == "You must be signed in to do this."
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error["path"] == ["productCreate"]
    assert statements == []
    assert await _product_count(catalog_client) == 0


async def test_a_principal_without_the_permission_is_forbidden(
    unprivileged: SubgraphClient, catalog_client: SubgraphClient
) -> None:
    result = await unprivileged.execute(PRODUCT_CREATE, LAMP)

    assert result["data"] is None
    [error] = result["errors"]
    assert error["message"] == "This needs the MANAGE_PRODUCTS permission."
    assert error["extensions"] == {"code": "FORBIDDEN"}
    assert await _product_count(catalog_client) == 0


async def test_the_dev_staff_token_holds_the_permission(catalog_client: SubgraphClient) -> None:
    result = await catalog_client.execute(PRODUCT_CREATE, LAMP, principal=STAFF)

    assert "errors" not in result
    payload = result["data"]["productCreate"]
    assert payload["userErrors"] == []
    assert payload["product"]["name"] == "Desk lamp"
    assert payload["product"]["price"] == {"amount": "24.90", "currencyCode": "EUR"}
    assert await _product_count(catalog_client) == 1


@dataclasses.dataclass
class Context:
    principal: Principal


@strawberry.type
class Query:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def me(self, info: Info[Context, None]) -> str:
        return str(info.context.principal.id)

    @strawberry.field(extensions=requires(HasPermission(Permission.MANAGE_REVIEWS)))
    async def moderation_queue(self) -> int:
        return 3


ME = "{ me }"
MODERATION_QUEUE = "{ moderationQueue }"
tiny = build_schema(settings=load_settings({}), query=Query)


@pytest.mark.parametrize(
    ("principal", "me", "queue"),
    [
        (Principal(), "UNAUTHENTICATED", "UNAUTHENTICATED"),
        (CUSTOMER, "c-1", "FORBIDDEN"),
        (MODERATOR, "s-2", 3),
        (MODERATOR_WITHOUT_MFA, "s-3", "FORBIDDEN"),
        (
            Principal(kind="customer", permissions=frozenset({Permission.MANAGE_REVIEWS})),
            "None",
            "FORBIDDEN",
        ),
    ],
    ids=[
        "anonymous",
        "customer",
        "moderator",
        "moderator-without-mfa",
        "customer-holding-a-staff-permission",
    ],
)
async def test_permission_outcomes_by_principal(
    principal: Principal, me: str, queue: str | int
) -> None:
    outcomes: list[object] = []
    for document, field in ((ME, "me"), (MODERATION_QUEUE, "moderationQueue")):
        result = await tiny.execute(document, context_value=Context(principal))
        if result.errors:
            [error] = result.errors
            assert error.extensions is not None
            outcomes.append(error.extensions["code"])
        else:
            assert result.data is not None
            outcomes.append(result.data[field])

    assert outcomes == [me, queue]


async def test_a_context_without_a_principal_is_a_masked_bug() -> None:
    result = await tiny.execute(ME, context_value=object())

    assert result.errors is not None
    assert result.errors[0].message == "Unexpected error."
