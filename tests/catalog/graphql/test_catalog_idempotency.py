"""``productCreate`` and ``productUpdate`` with ``idempotencyKey``: a retry replays the first
result (same product, one row, one event), other input with the key is IDEMPOTENCY_KEY_REUSED, a
malformed key is a user error, a refused input does not use the key up, and concurrent retries
write once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from shared.app import SubgraphApp
from tests.catalog.support import CatalogUow, make_product, outbox_events, row_counts
from tests.graphql_client import STAFF, SubgraphClient

PRODUCT_CREATE = """
mutation ProductCreate($input: ProductCreateInput!, $key: String) {
  productCreate(input: $input, idempotencyKey: $key) {
    product { id name slug price { amount currencyCode } variants { sku } }
    userErrors { field message code }
  }
}
"""
PRODUCT_UPDATE = """
mutation ProductUpdate($input: ProductUpdateInput!, $key: String) {
  productUpdate(input: $input, idempotencyKey: $key) {
    product { id name price { amount currencyCode } }
    userErrors { field message code }
  }
}
"""
KEY = "3f0c9a52-6d1e-4f57-9d3b-0b6c2f1e7a10"


def create_input(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Oxford Shirt",
        "price": {"amount": "49.90", "currencyCode": "EUR"},
        "variants": [{"sku": "OX-M"}],
        **changes,
    }


async def create(client: SubgraphClient, key: str | None, **changes: Any) -> dict[str, Any]:
    result = await client.execute(
        PRODUCT_CREATE, {"input": create_input(**changes), "key": key}, principal=STAFF
    )
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["productCreate"]
    return payload


async def update(client: SubgraphClient, key: str | None, **fields: Any) -> dict[str, Any]:
    result = await client.execute(PRODUCT_UPDATE, {"input": fields, "key": key}, principal=STAFF)
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["productUpdate"]
    return payload


def codes(payload: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def test_a_retried_create_returns_the_first_product(
    catalog: SubgraphApp, client: SubgraphClient
) -> None:
    first = await create(client, KEY)
    retry = await create(client, KEY)

    assert first["userErrors"] == []
    assert retry == first
    counts = await row_counts(catalog)
    assert (counts.products, counts.variants, counts.outbox) == (1, 1, 1)


async def test_the_key_with_other_input_is_refused_and_writes_nothing(
    catalog: SubgraphApp, client: SubgraphClient
) -> None:
    await create(client, KEY)
    before = await row_counts(catalog)

    other = await create(client, KEY, name="Linen Shirt")

    assert other["product"] is None
    assert codes(other) == [(["idempotencyKey"], "IDEMPOTENCY_KEY_REUSED")]
    assert other["userErrors"][0]["message"]
    assert await row_counts(catalog) == before


async def test_refused_input_does_not_use_the_key_up(
    catalog: SubgraphApp, client: SubgraphClient
) -> None:
    refused = await create(client, KEY, price={"amount": "-1", "currencyCode": "EUR"})
    assert codes(refused) == [(["price"], "INVALID")]

    created = await create(client, KEY)

    assert created["userErrors"] == []
    assert (await row_counts(catalog)).products == 1


async def test_without_a_key_a_repeated_create_is_a_new_request(client: SubgraphClient) -> None:
    await create(client, None)

    again = await create(client, None)

    # The derived slug would get a suffix; the SKUs repeat, so the second create is refused.
    assert codes(again) == [(["variants"], "DUPLICATE")]


@pytest.mark.parametrize(
    "key",
    ["", "k" * 256, "clé-1", "line\nbreak"],
    ids=["empty", "too-long", "non-ascii", "control-character"],
)
async def test_a_malformed_key_is_a_user_error(
    catalog: SubgraphApp, client: SubgraphClient, key: str
) -> None:
    payload = await create(client, key)

    assert payload["product"] is None
    assert codes(payload) == [(["idempotencyKey"], "INVALID")]
    assert "printable ASCII" in payload["userErrors"][0]["message"]
    assert (await row_counts(catalog)).products == 0


async def test_concurrent_creates_with_one_key_create_one_product(
    catalog: SubgraphApp, client: SubgraphClient
) -> None:
    payloads = await asyncio.gather(*(create(client, KEY) for _ in range(10)))

    assert all(p["userErrors"] == [] for p in payloads), payloads
    assert len({p["product"]["id"] for p in payloads}) == 1
    counts = await row_counts(catalog)
    assert (counts.products, counts.variants, counts.outbox) == (1, 1, 1)


async def test_a_retried_update_changes_once(
    catalog: SubgraphApp, catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt", price="10.00")
    change = {"id": product.id, "price": {"amount": "12.00", "currencyCode": "EUR"}}

    first = await update(client, KEY, **change)
    retry = await update(client, KEY, **change)

    assert first["userErrors"] == []
    assert retry == first
    assert first["product"]["price"] == {"amount": "12.00", "currencyCode": "EUR"}
    recorded = [event_type for event_type, _ in await outbox_events(catalog)]
    assert sorted(recorded) == ["PriceChanged", "ProductUpserted", "ProductUpserted"]


async def test_a_replayed_update_returns_the_product_as_it_is_now(
    catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt")
    await update(client, KEY, id=product.id, name="Linen Shirt II")
    await update(client, None, id=product.id, name="Linen Shirt III")

    retry = await update(client, KEY, id=product.id, name="Linen Shirt II")

    assert retry["product"] == {
        "id": product.id,
        "name": "Linen Shirt III",
        "price": {"amount": "10.00", "currencyCode": "EUR"},
    }


async def test_an_update_key_with_other_changes_is_refused(
    catalog: SubgraphApp, catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt")
    await update(client, KEY, id=product.id, name="Linen Shirt II")
    events = await outbox_events(catalog)

    other = await update(client, KEY, id=product.id, name="Linen Shirt III")

    assert other["product"] is None
    assert codes(other) == [(["idempotencyKey"], "IDEMPOTENCY_KEY_REUSED")]
    assert await outbox_events(catalog) == events


async def test_create_and_update_keys_are_independent(
    catalog: SubgraphApp, client: SubgraphClient
) -> None:
    created = await create(client, KEY)

    updated = await update(client, KEY, id=created["product"]["id"], name="Oxford Shirt II")

    assert updated["userErrors"] == []
    assert updated["product"]["name"] == "Oxford Shirt II"


async def test_a_malformed_update_key_is_a_user_error(
    catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt")

    payload = await update(client, "ünïcode", id=product.id, name="X")

    assert codes(payload) == [(["idempotencyKey"], "INVALID")]


async def test_concurrent_updates_with_one_key_change_once(
    catalog: SubgraphApp, catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt")

    payloads = await asyncio.gather(
        *(update(client, KEY, id=product.id, name="Linen Shirt II") for _ in range(10))
    )

    assert all(p["product"] == payloads[0]["product"] for p in payloads), payloads
    assert payloads[0]["product"]["name"] == "Linen Shirt II"
    assert len(await outbox_events(catalog)) == 2  # the create's and one update's
