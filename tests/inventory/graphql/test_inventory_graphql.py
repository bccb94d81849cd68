"""The inventory's GraphQL: availability on the catalog's ProductVariant (through ``_entities``,
batched), staff queries and mutations behind MANAGE_INVENTORY, userErrors with codes."""

from __future__ import annotations

from typing import Any

import pytest

from shared.app import SubgraphApp
from shared.auth import Permission
from tests.graphql_client import STAFF, SubgraphClient, customer, staff
from tests.inventory.support import (
    InventoryUow,
    backorderable,
    outbox,
    put_stock,
    reserve,
    warehouse,
)
from tests.sql_counting import counting_sql

AVAILABILITY = """
query Availability($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on ProductVariant { id availability { inStock quantityAvailable backorderEta } }
  }
}
"""
WAREHOUSE_CREATE = """
mutation Create($input: WarehouseCreateInput!, $key: String) {
  warehouseCreate(input: $input, idempotencyKey: $key) {
    warehouse { id code name priority active }
    userErrors { field message code }
  }
}
"""
STOCK_ADJUST = """
mutation Adjust($input: StockAdjustInput!, $key: String) {
  stockAdjust(input: $input, idempotencyKey: $key) {
    stockLevel { variantId onHand reserved available warehouse { code } }
    userErrors { field message code }
  }
}
"""
STOCK_LEVELS = """
query Levels($ids: [ID!]!) {
  stockLevels(variantIds: $ids) { variantId onHand reserved available warehouse { code } }
}
"""
MOVEMENTS = """
query Movements($id: ID!) {
  stockMovements(variantId: $id) { kind delta onHandAfter reason actor reference }
}
"""
ITEM_UPDATE = """
mutation Item($input: InventoryItemUpdateInput!) {
  inventoryItemUpdate(input: $input) {
    item { variantId allowBackorder backorderEta lowStockThreshold }
    userErrors { field code }
  }
}
"""
INVENTORY_STAFF = staff(Permission.MANAGE_INVENTORY)


def representations(ids: list[str]) -> dict[str, Any]:
    return {"representations": [{"__typename": "ProductVariant", "id": i} for i in ids]}


async def test_availability_through_entities_for_anyone(
    inventory_uow: InventoryUow, client: SubgraphClient
) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 4)
    await reserve(inventory_uow, "r1", {"v1": 3})
    await backorderable(inventory_uow, "v2", "2027-01-15")

    result = await client.execute(AVAILABILITY, representations(["v1", "v2", "v3"]))

    assert "errors" not in result, result
    assert [e["availability"] for e in result["data"]["_entities"]] == [
        {"inStock": True, "quantityAvailable": 1, "backorderEta": None},
        {"inStock": True, "quantityAvailable": 0, "backorderEta": "2027-01-15"},
        {"inStock": False, "quantityAvailable": 0, "backorderEta": None},
    ]


async def test_availability_of_many_variants_is_one_statement(
    inventory: SubgraphApp, inventory_uow: InventoryUow, client: SubgraphClient
) -> None:
    wh = await warehouse(inventory_uow, "A")
    ids = [f"v{i}" for i in range(20)]
    for i, variant_id in enumerate(ids):
        await put_stock(inventory_uow, variant_id, wh, i)
    for n in (2, 20):
        with counting_sql(inventory.infra.database) as statements:
            result = await client.execute(AVAILABILITY, representations(ids[:n]))
        assert "errors" not in result, result
        assert [
            e["availability"]["quantityAvailable"] for e in result["data"]["_entities"]
        ] == list(range(n))
        assert len(statements) == 1, statements


async def test_staff_create_warehouses_adjust_stock_and_read_the_ledger(
    client: SubgraphClient, inventory: SubgraphApp
) -> None:
    created = await client.execute(
        WAREHOUSE_CREATE,
        {"input": {"code": "ber-1", "name": "Berlin", "priority": 1}, "key": "wh-1"},
        principal=INVENTORY_STAFF,
    )
    payload = created["data"]["warehouseCreate"]
    assert payload["userErrors"] == []
    assert payload["warehouse"]["code"] == "BER-1"
    warehouse_id = payload["warehouse"]["id"]
    replay = await client.execute(
        WAREHOUSE_CREATE,
        {"input": {"code": "ber-1", "name": "Berlin", "priority": 1}, "key": "wh-1"},
        principal=INVENTORY_STAFF,
    )
    assert replay["data"]["warehouseCreate"]["warehouse"]["id"] == warehouse_id
    duplicate = await client.execute(
        WAREHOUSE_CREATE, {"input": {"code": "BER-1", "name": "Again"}}, principal=INVENTORY_STAFF
    )
    assert duplicate["data"]["warehouseCreate"]["userErrors"][0]["code"] == "DUPLICATE"

    received = {"variantId": "v1", "warehouseId": warehouse_id, "delta": 10, "reason": "received"}
    for _ in range(2):  # the retry with the key changes nothing more
        adjusted = await client.execute(
            STOCK_ADJUST, {"input": received, "key": "adj-1"}, principal=INVENTORY_STAFF
        )
        assert adjusted["data"]["stockAdjust"]["stockLevel"] == {
            "variantId": "v1",
            "onHand": 10,
            "reserved": 0,
            "available": 10,
            "warehouse": {"code": "BER-1"},
        }
    counted = {"variantId": "v1", "warehouseId": warehouse_id, "setOnHand": 7, "reason": "count"}
    await client.execute(STOCK_ADJUST, {"input": counted}, principal=INVENTORY_STAFF)

    levels = await client.execute(STOCK_LEVELS, {"ids": ["v1"]}, principal=INVENTORY_STAFF)
    assert levels["data"]["stockLevels"][0]["onHand"] == 7
    ledger = await client.execute(MOVEMENTS, {"id": "v1"}, principal=INVENTORY_STAFF)
    assert ledger["data"]["stockMovements"] == [
        {
            "kind": "ADJUSTMENT",
            "delta": -3,
            "onHandAfter": 7,
            "reason": "count",
            "actor": "staff:staff-test",
            "reference": None,
        },
        {
            "kind": "ADJUSTMENT",
            "delta": 10,
            "onHandAfter": 10,
            "reason": "received",
            "actor": "staff:staff-test",
            "reference": None,
        },
    ]
    assert [e["available"] for e in await outbox(inventory, "StockChanged")] == [10, 7]
    assert [e["available"] for e in await outbox(inventory, "BackInStock")] == [10]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"delta": -11}, "INVALID", "delta"),
        ({"setOnHand": 2}, "BELOW_RESERVED", "setOnHand"),
        ({"delta": -9}, "BELOW_RESERVED", "delta"),
        ({}, "INVALID", "delta"),
        ({"delta": 1, "setOnHand": 1}, "INVALID", "delta"),
        ({"delta": 0}, "INVALID", "delta"),
        ({"delta": 1, "reason": "  "}, "REQUIRED", "reason"),
        ({"delta": 1, "warehouseId": "nope"}, "NOT_FOUND", "warehouseId"),
    ],
)
async def test_stock_adjust_refusals_are_user_errors(
    client: SubgraphClient,
    inventory_uow: InventoryUow,
    change: dict[str, Any],
    code: str,
    field: str,
) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 10)
    await reserve(inventory_uow, "r1", {"v1": 3})
    adjustment = {"variantId": "v1", "warehouseId": wh, "reason": "test", **change}

    result = await client.execute(STOCK_ADJUST, {"input": adjustment}, principal=INVENTORY_STAFF)

    payload = result["data"]["stockAdjust"]
    assert payload["stockLevel"] is None
    assert payload["userErrors"][0]["code"] == code
    assert payload["userErrors"][0]["field"] == [field]


async def test_item_settings(client: SubgraphClient) -> None:
    result = await client.execute(
        ITEM_UPDATE,
        {"input": {"variantId": "v1", "allowBackorder": True, "backorderEta": "2027-02-01"}},
        principal=INVENTORY_STAFF,
    )
    assert result["data"]["inventoryItemUpdate"]["item"] == {
        "variantId": "v1",
        "allowBackorder": True,
        "backorderEta": "2027-02-01",
        "lowStockThreshold": 5,
    }
    bad = await client.execute(
        ITEM_UPDATE,
        {"input": {"variantId": "v1", "lowStockThreshold": -1}},
        principal=INVENTORY_STAFF,
    )
    assert bad["data"]["inventoryItemUpdate"]["userErrors"][0]["code"] == "INVALID"


STAFF_ONLY = [
    (STOCK_LEVELS, {"ids": ["v1"]}),
    (MOVEMENTS, {"id": "v1"}),
    ("query { warehouses { id } }", {}),
    (WAREHOUSE_CREATE, {"input": {"code": "X", "name": "X"}}),
    (STOCK_ADJUST, {"input": {"variantId": "v1", "warehouseId": "w", "delta": 1, "reason": "r"}}),
    (ITEM_UPDATE, {"input": {"variantId": "v1", "allowBackorder": True}}),
]


@pytest.mark.parametrize(("document", "variables"), STAFF_ONLY)
@pytest.mark.parametrize(
    ("principal", "code"),
    [
        (None, "UNAUTHENTICATED"),
        (customer("c1"), "FORBIDDEN"),
        (staff(Permission.MANAGE_PRODUCTS), "FORBIDDEN"),
        (staff(Permission.MANAGE_INVENTORY, mfa=False), "FORBIDDEN"),
    ],
    ids=["anonymous", "customer", "other-staff", "no-mfa"],
)
async def test_staff_operations_need_manage_inventory(
    client: SubgraphClient,
    inventory_uow: InventoryUow,
    document: str,
    variables: dict[str, Any],
    principal: Any,
    code: str,
) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 10)
    if principal is None:
        result = await client.execute(document, variables)
    else:
        result = await client.execute(document, variables, principal=principal)
    assert result["data"] is None or all(v is None for v in result["data"].values())
    assert result["errors"][0]["extensions"]["code"] == code
    levels = await client.execute(STOCK_LEVELS, {"ids": ["v1"]}, principal=STAFF)
    assert levels["data"]["stockLevels"][0]["onHand"] == 10  # nothing changed


async def test_entities_reveal_nothing_but_public_availability(client: SubgraphClient) -> None:
    """BOLA: the only entity here is ProductVariant, and it carries no staff or cart data."""
    result = await client.execute(
        """query($r: [_Any!]!) { _entities(representations: $r) {
             ... on ProductVariant { id availability { inStock } stockLevels { onHand } } } }""",
        {"r": [{"__typename": "ProductVariant", "id": "v1"}]},
        principal=customer("c1"),
    )
    assert result["errors"][0]["message"].startswith("Cannot query field 'stockLevels'")


async def test_a_stock_adjust_key_reused_with_other_input_is_refused(
    client: SubgraphClient, inventory_uow: InventoryUow
) -> None:
    wh = await warehouse(inventory_uow, "A")
    first = {"variantId": "v1", "warehouseId": wh, "delta": 5, "reason": "received"}
    other = {**first, "delta": 6}
    await client.execute(STOCK_ADJUST, {"input": first, "key": "k1"}, principal=INVENTORY_STAFF)

    result = await client.execute(
        STOCK_ADJUST, {"input": other, "key": "k1"}, principal=INVENTORY_STAFF
    )

    assert result["data"]["stockAdjust"]["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"
    levels = await client.execute(STOCK_LEVELS, {"ids": ["v1"]}, principal=INVENTORY_STAFF)
    assert levels["data"]["stockLevels"][0]["onHand"] == 5
