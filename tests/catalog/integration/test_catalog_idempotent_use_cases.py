"""``create_product`` and ``update_product`` with an idempotency key on the real database: keys
belong to their caller, a replay re-reads the product and records no event, and the key row
commits with the change."""

from __future__ import annotations

from sqlalchemy import select

from shared.app import SubgraphApp
from shared.auth import SYSTEM, Permission, Principal
from subgraphs.catalog.services.create_product import NewProduct, create_product
from subgraphs.catalog.services.update_product import ProductChanges, update_product
from tests.catalog.support import CatalogUow, make_product, outbox_events, row_counts

OTHER_STAFF = Principal.staff("s2", [Permission.MANAGE_PRODUCTS])
KEY = "shared-key"


async def key_rows(catalog: SubgraphApp) -> list[tuple[str, str]]:
    table = catalog.infra.tables.idempotency
    async with catalog.infra.database.session() as session:
        rows = await session.execute(
            select(table.c.scope, table.c.response).order_by(table.c.scope)
        )
        return [(row.scope, row.response) for row in rows]


async def test_two_staff_members_keys_are_independent(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    mine = await create_product(
        catalog_uow,
        data=NewProduct(name="Oxford Shirt", price_amount="49.90", currency="EUR"),
        actor=SYSTEM,
        idempotency_key=KEY,
    )
    theirs = await create_product(
        catalog_uow,
        data=NewProduct(name="Linen Shirt", price_amount="39.90", currency="EUR"),
        actor=OTHER_STAFF,
        idempotency_key=KEY,
    )

    assert mine.id != theirs.id
    assert (await row_counts(catalog)).products == 2
    assert await key_rows(catalog) == [
        ("productCreate:staff:s2", f'{{"product_id":"{theirs.id}"}}'),
        ("productCreate:staff:system", f'{{"product_id":"{mine.id}"}}'),
    ]


async def test_the_same_update_by_two_staff_members_applies_twice(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    product = await make_product(catalog_uow, "Linen Shirt")
    changes = ProductChanges(name="Linen Shirt II")

    for actor in (SYSTEM, OTHER_STAFF, SYSTEM):
        await update_product(
            catalog_uow,
            product_id=product.id,
            changes=changes,
            actor=actor,
            idempotency_key=KEY,
        )

    assert [t for t, _ in await outbox_events(catalog)] == ["ProductUpserted"] * 3


async def test_a_replay_returns_the_stored_product_with_its_fields_loaded(
    catalog: SubgraphApp, catalog_uow: CatalogUow
) -> None:
    data = NewProduct(name="Oxford Shirt", price_amount="49.90", currency="EUR")
    first = await create_product(catalog_uow, data=data, actor=SYSTEM, idempotency_key=KEY)

    replayed = await create_product(catalog_uow, data=data, actor=SYSTEM, idempotency_key=KEY)

    assert replayed is not first
    assert (replayed.id, replayed.slug, replayed.price) == (first.id, first.slug, first.price)
    assert len(await outbox_events(catalog)) == 1
