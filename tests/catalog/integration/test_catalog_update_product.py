"""``update_product`` on the real database: the change and its events (ProductUpserted, plus
PriceChanged when the price moved) commit in one transaction — or neither does."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.app import SubgraphApp
from shared.auth import ANONYMOUS, SYSTEM, Permission, PermissionDenied, Principal
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import Product, ProductStatus
from subgraphs.catalog.services.update_product import ProductChanges, update_product
from tests.catalog.support import CatalogUow, Tree, make_product, outbox_events, without_extras

ORDER_CLERK = Principal.staff("s2", [Permission.MANAGE_ORDERS])


async def stored(catalog: SubgraphApp, product_id: str) -> Product:
    async with catalog.infra.database.session() as session:
        product = await session.get(Product, product_id)
    assert product is not None
    return product


async def events_after_create(catalog: SubgraphApp) -> list[tuple[str, dict[str, object]]]:
    """The outbox without the ProductUpserted that ``create_product`` recorded first."""
    events = await outbox_events(catalog)
    assert events[0][0] == "ProductUpserted"
    return events[1:]


async def test_fields_change_and_product_upserted_is_recorded(
    catalog: SubgraphApp, catalog_uow: CatalogUow, tree: Tree
) -> None:
    draft = await make_product(catalog_uow, "Linen Shirt", status=ProductStatus.DRAFT)
    before = await stored(catalog, draft.id)

    await update_product(
        catalog_uow,
        product_id=draft.id,
        changes=ProductChanges(
            name=" Linen  Shirt II ",
            slug="linen-shirt-2",
            description="Now with pockets.",
            status=ProductStatus.PUBLISHED,
            category_id=tree.shirts.id,
        ),
        actor=SYSTEM,
    )

    after = await stored(catalog, draft.id)
    assert (after.name, after.slug, after.description, after.status, after.category_id) == (
        "Linen Shirt II",
        "linen-shirt-2",
        "Now with pockets.",
        ProductStatus.PUBLISHED,
        tree.shirts.id,
    )
    assert (after.price_amount, after.currency) == (Decimal("10.00"), "EUR")
    assert after.updated_at > before.updated_at
    assert without_extras(await events_after_create(catalog)) == [
        (
            "ProductUpserted",
            {
                "product_id": draft.id,
                "slug": "linen-shirt-2",
                "name": "Linen Shirt II",
                "status": "PUBLISHED",
                "price_amount": "10.00",
                "currency": "EUR",
                "category_id": tree.shirts.id,
            },
        )
    ]


async def test_absent_fields_stay_as_they_are(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt", price="10.00")

    await update_product(
        catalog_uow,
        product_id=product.id,
        changes=ProductChanges(description="Softer."),
        actor=SYSTEM,
    )

    after = await stored(catalog, product.id)
    assert (after.name, after.slug, after.status, after.description) == (
        "Linen Shirt",
        "linen-shirt",
        ProductStatus.PUBLISHED,
        "Softer.",
    )


async def test_a_new_price_records_price_changed_with_product_upserted(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt", price="10.00")

    await update_product(
        catalog_uow,
        product_id=product.id,
        changes=ProductChanges(price_amount="12.5"),
        actor=SYSTEM,
    )

    assert (await stored(catalog, product.id)).price_amount == Decimal("12.50")
    events = await events_after_create(catalog)
    assert sorted(event_type for event_type, _ in events) == ["PriceChanged", "ProductUpserted"]
    payloads = dict(events)
    assert payloads["PriceChanged"] == {
        "variant_id": None,
        "product_id": product.id,
        "old_amount": "10.00",
        "old_currency": "EUR",
        "new_amount": "12.50",
        "new_currency": "EUR",
    }
    assert payloads["ProductUpserted"]["price_amount"] == "12.50"


async def test_a_new_currency_alone_is_a_price_change(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt", price="10.00", currency="EUR")

    await update_product(
        catalog_uow,
        product_id=product.id,
        changes=ProductChanges(currency="USD"),
        actor=SYSTEM,
    )

    after = await stored(catalog, product.id)
    assert (after.price_amount, after.currency) == (Decimal("10.00"), "USD")
    payloads = dict(await events_after_create(catalog))
    assert (payloads["PriceChanged"]["old_currency"], payloads["PriceChanged"]["new_currency"]) == (
        "EUR",
        "USD",
    )


@pytest.mark.parametrize("same_price", ["10", "10.00"])
async def test_the_same_price_records_no_price_changed(
    catalog: SubgraphApp, catalog_uow: CatalogUow, same_price: str
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt", price="10.00")

    await update_product(
        catalog_uow,
        product_id=product.id,
        changes=ProductChanges(price_amount=same_price, currency="EUR"),
        actor=SYSTEM,
    )

    assert [event_type for event_type, _ in await events_after_create(catalog)] == [
        "ProductUpserted"
    ]


REFUSED: list[tuple[str, ProductChanges, CatalogErrorCode, str]] = [
    (
        "slug of another product",
        ProductChanges(name="Renamed", price_amount="99.00", slug="taken"),
        CatalogErrorCode.DUPLICATE,
        "slug",
    ),
    (
        "unknown category",
        ProductChanges(name="Renamed", status=ProductStatus.DRAFT, category_id="nope"),
        CatalogErrorCode.NOT_FOUND,
        "categoryId",
    ),
    (
        "negative price",
        ProductChanges(name="Renamed", price_amount="-1"),
        CatalogErrorCode.INVALID,
        "price",
    ),
    (
        "too many decimals",
        ProductChanges(description="Renamed", price_amount="1.234"),
        CatalogErrorCode.INVALID,
        "price",
    ),
    ("unknown currency", ProductChanges(currency="XYZ"), CatalogErrorCode.INVALID, "price"),
    ("blank name", ProductChanges(name=" "), CatalogErrorCode.REQUIRED, "name"),
    ("malformed slug", ProductChanges(slug="Bad Slug"), CatalogErrorCode.INVALID, "slug"),
]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [pytest.param(changes, code, field, id=case) for case, changes, code, field in REFUSED],
)
async def test_a_refused_update_changes_nothing_and_records_nothing(
    catalog: SubgraphApp,
    catalog_uow: CatalogUow,
    changes: ProductChanges,
    code: CatalogErrorCode,
    field: str,
) -> None:
    await make_product(catalog_uow, "Taken", slug="taken")
    product = await make_product(catalog_uow, "Linen Shirt", price="10.00")
    before = await stored(catalog, product.id)
    events_before = await outbox_events(catalog)

    with pytest.raises(CatalogError) as caught:
        await update_product(catalog_uow, product_id=product.id, changes=changes, actor=SYSTEM)

    assert (caught.value.code, caught.value.field) == (code, field)
    after = await stored(catalog, product.id)
    assert after.model_dump() == before.model_dump()
    assert await outbox_events(catalog) == events_before


async def test_an_unknown_product_is_not_found(catalog_uow: CatalogUow) -> None:
    with pytest.raises(CatalogError) as caught:
        await update_product(
            catalog_uow, product_id="nope", changes=ProductChanges(name="X"), actor=SYSTEM
        )

    assert (caught.value.code, caught.value.field) == (CatalogErrorCode.NOT_FOUND, "id")


@pytest.mark.parametrize("principal", [ANONYMOUS, ORDER_CLERK], ids=["anonymous", "order-clerk"])
async def test_only_who_manages_products_may_update_one(
    catalog: SubgraphApp, catalog_uow: CatalogUow, principal: Principal
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt")
    events_before = await outbox_events(catalog)

    with pytest.raises(PermissionDenied):
        await update_product(
            catalog_uow,
            product_id=product.id,
            changes=ProductChanges(name="Hijacked"),
            actor=principal,
        )

    assert (await stored(catalog, product.id)).name == "Linen Shirt"
    assert await outbox_events(catalog) == events_before
