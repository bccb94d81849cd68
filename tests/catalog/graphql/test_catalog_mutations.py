"""``productCreate`` and ``productUpdate`` in process: payloads, user errors with a field path
and a code, and top-level UNAUTHENTICATED without a token."""

from __future__ import annotations

from typing import Any

import pytest

from shared.app import SubgraphApp
from tests.catalog.support import CatalogUow, Tree, make_product, outbox_events, row_counts
from tests.graphql_client import STAFF, SubgraphClient

PRODUCT_CREATE = """
mutation ProductCreate($input: ProductCreateInput!) {
  productCreate(input: $input) {
    product {
      id name slug status description
      price { amount currencyCode }
      category { slug }
      variants { sku name options { name value } price { amount currencyCode } }
    }
    userErrors { field message code }
  }
}
"""
PRODUCT_UPDATE = """
mutation ProductUpdate($input: ProductUpdateInput!) {
  productUpdate(input: $input) {
    product { id name slug status price { amount currencyCode } category { slug } }
    userErrors { field message code }
  }
}
"""


def create_input(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Oxford Shirt",
        "price": {"amount": "49.90", "currencyCode": "EUR"},
        **changes,
    }


async def test_staff_create_a_product_with_variants(client: SubgraphClient, tree: Tree) -> None:
    variables = {
        "input": create_input(
            status="PUBLISHED",
            description="Button-down.",
            categoryId=tree.shirts.id,
            variants=[
                {"sku": "OX-M", "options": [{"name": "size", "value": "M"}]},
                {
                    "sku": "OX-XL",
                    "options": [{"name": "size", "value": "XL"}],
                    "price": {"amount": "54.90", "currencyCode": "EUR"},
                },
            ],
        )
    }

    result = await client.execute(PRODUCT_CREATE, variables, principal=STAFF)

    payload = result["data"]["productCreate"]
    assert payload["userErrors"] == []
    product = payload["product"]
    assert {k: v for k, v in product.items() if k != "id"} == {
        "name": "Oxford Shirt",
        "slug": "oxford-shirt",
        "status": "PUBLISHED",
        "description": "Button-down.",
        "price": {"amount": "49.90", "currencyCode": "EUR"},
        "category": {"slug": "shirts"},
        "variants": [
            {
                "sku": "OX-M",
                "name": "M",
                "options": [{"name": "size", "value": "M"}],
                "price": {"amount": "49.90", "currencyCode": "EUR"},
            },
            {
                "sku": "OX-XL",
                "name": "XL",
                "options": [{"name": "size", "value": "XL"}],
                "price": {"amount": "54.90", "currencyCode": "EUR"},
            },
        ],
    }


USER_ERRORS: list[tuple[str, dict[str, Any], list[str], str]] = [
    ("blank name", {"name": "  "}, ["name"], "REQUIRED"),
    ("malformed slug", {"slug": "Oxford Shirt"}, ["slug"], "INVALID"),
    ("slug taken", {"slug": "taken"}, ["slug"], "DUPLICATE"),
    ("unknown category", {"categoryId": "nope"}, ["categoryId"], "NOT_FOUND"),
    ("unknown currency", {"price": {"amount": "1", "currencyCode": "EUX"}}, ["price"], "INVALID"),
    ("negative price", {"price": {"amount": "-1", "currencyCode": "EUR"}}, ["price"], "INVALID"),
    (
        "too many decimals",
        {"price": {"amount": "1.005", "currencyCode": "EUR"}},
        ["price"],
        "INVALID",
    ),
    (
        "blank SKU",
        {"variants": [{"sku": "A"}, {"sku": " "}]},
        ["variants", "1", "sku"],
        "INVALID",
    ),
    ("SKU taken", {"variants": [{"sku": "TAKEN-SKU"}]}, ["variants"], "DUPLICATE"),
    (
        "variant price with too many decimals",
        {"variants": [{"sku": "A", "price": {"amount": "1.001", "currencyCode": "EUR"}}]},
        ["variants", "0", "price"],
        "INVALID",
    ),
]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [pytest.param(changes, field, code, id=case) for case, changes, field, code in USER_ERRORS],
)
async def test_bad_input_is_returned_as_user_errors_and_nothing_is_created(
    catalog: SubgraphApp,
    catalog_uow: CatalogUow,
    client: SubgraphClient,
    changes: dict[str, Any],
    field: list[str],
    code: str,
) -> None:
    await make_product(catalog_uow, "Taken", slug="taken", skus=["TAKEN-SKU"])
    before = await row_counts(catalog)

    result = await client.execute(
        PRODUCT_CREATE, {"input": create_input(**changes)}, principal=STAFF
    )

    assert "errors" not in result
    payload = result["data"]["productCreate"]
    assert payload["product"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]
    assert payload["userErrors"][0]["message"]
    assert await row_counts(catalog) == before


@pytest.mark.parametrize(
    "headers",
    [{}, {"authorization": "Bearer wrong-token"}, {"authorization": "Basic dev-staff-token"}],
    ids=["no-token", "wrong-token", "wrong-scheme"],
)
async def test_creating_without_a_valid_token_is_unauthenticated(
    catalog: SubgraphApp, client: SubgraphClient, headers: dict[str, str]
) -> None:
    result = await client.execute(PRODUCT_CREATE, {"input": create_input()}, headers=headers)

    assert result["data"] is None
    assert [e["extensions"]["code"] for e in result["errors"]] == ["UNAUTHENTICATED"]
    assert (await row_counts(catalog)).products == 0


async def test_updating_without_a_token_is_unauthenticated(
    catalog: SubgraphApp, catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt")
    events_before = await outbox_events(catalog)

    result = await client.execute(PRODUCT_UPDATE, {"input": {"id": product.id, "name": "Hacked"}})

    assert result["data"] is None
    assert [e["extensions"]["code"] for e in result["errors"]] == ["UNAUTHENTICATED"]
    assert await outbox_events(catalog) == events_before


async def test_staff_update_a_product(
    catalog: SubgraphApp, catalog_uow: CatalogUow, client: SubgraphClient, tree: Tree
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt", price="10.00")

    result = await client.execute(
        PRODUCT_UPDATE,
        {
            "input": {
                "id": product.id,
                "name": "Linen Shirt II",
                "status": "DRAFT",
                "categoryId": tree.shirts.id,
                "price": {"amount": "12.00", "currencyCode": "EUR"},
            }
        },
        principal=STAFF,
    )

    assert result == {
        "data": {
            "productUpdate": {
                "product": {
                    "id": product.id,
                    "name": "Linen Shirt II",
                    "slug": "linen-shirt",
                    "status": "DRAFT",
                    "price": {"amount": "12.00", "currencyCode": "EUR"},
                    "category": {"slug": "shirts"},
                },
                "userErrors": [],
            }
        }
    }
    recorded = [event_type for event_type, _ in await outbox_events(catalog)]
    assert sorted(recorded[1:]) == ["PriceChanged", "ProductUpserted"]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"id": "nope", "name": "X"}, ["id"], "NOT_FOUND"),
        ({"slug": "taken"}, ["slug"], "DUPLICATE"),
        ({"price": {"amount": "-3", "currencyCode": "EUR"}}, ["price"], "INVALID"),
        ({"categoryId": "nope"}, ["categoryId"], "NOT_FOUND"),
    ],
)
async def test_bad_updates_are_returned_as_user_errors(
    catalog_uow: CatalogUow,
    client: SubgraphClient,
    changes: dict[str, Any],
    field: list[str],
    code: str,
) -> None:
    await make_product(catalog_uow, "Taken", slug="taken")
    product = await make_product(catalog_uow, "Linen Shirt")

    result = await client.execute(
        PRODUCT_UPDATE, {"input": {"id": product.id, **changes}}, principal=STAFF
    )

    payload = result["data"]["productUpdate"]
    assert payload["product"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]
