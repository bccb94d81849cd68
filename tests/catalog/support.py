"""Helpers for tests that need catalog data: a category tree, products made through the
catalog's own use case, row counts, the outbox, and an SQL statement counter."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from shared.app import SubgraphApp
from shared.auth import SYSTEM
from shared.events import loads
from subgraphs.catalog.domain.models import Category, Product, ProductStatus, ProductVariant
from subgraphs.catalog.services.create_product import NewProduct, NewVariant, create_product
from subgraphs.catalog.uow import CatalogUnitOfWork

CatalogUow = Callable[[], CatalogUnitOfWork]


@dataclass(frozen=True)
class Tree:
    """clothing > (shirts > polos, trousers) · home: two roots, three levels."""

    clothing: Category
    shirts: Category
    polos: Category
    trousers: Category
    home: Category


async def build_tree(uow_factory: CatalogUow) -> Tree:
    clothing = Category(name="Clothing", slug="clothing", position=0)
    home = Category(name="Home", slug="home", position=1)
    shirts = Category(name="Shirts", slug="shirts", parent_id=clothing.id, position=0)
    trousers = Category(name="Trousers", slug="trousers", parent_id=clothing.id, position=1)
    polos = Category(name="Polos", slug="polos", parent_id=shirts.id, position=0)
    async with uow_factory() as uow:
        for level in ((clothing, home), (shirts, trousers), (polos,)):
            uow.products.add(*level)
            await uow.session.flush()  # parents before children (foreign keys)
        await uow.commit()
    return Tree(clothing=clothing, shirts=shirts, polos=polos, trousers=trousers, home=home)


async def make_product(
    uow_factory: CatalogUow,
    name: str,
    *,
    price: str = "10.00",
    currency: str = "EUR",
    slug: str | None = None,
    status: ProductStatus = ProductStatus.PUBLISHED,
    category: Category | None = None,
    skus: Sequence[str] = (),
) -> Product:
    """A product made by ``create_product`` as dev staff (one ProductUpserted in the outbox)."""
    return await create_product(
        uow_factory,
        data=NewProduct(
            name=name,
            price_amount=price,
            currency=currency,
            slug=slug,
            status=status,
            category_id=category.id if category else None,
            variants=[NewVariant(sku=sku, options={"size": "M"}) for sku in skus],
        ),
        actor=SYSTEM,
    )


@dataclass(frozen=True)
class RowCounts:
    products: int
    variants: int
    outbox: int


async def row_counts(catalog: SubgraphApp) -> RowCounts:
    outbox = catalog.infra.tables.outbox
    async with catalog.infra.database.session() as session:
        products = await session.scalar(select(func.count()).select_from(Product))
        variants = await session.scalar(select(func.count()).select_from(ProductVariant))
        events = await session.scalar(select(func.count()).select_from(outbox))
    return RowCounts(products=products or 0, variants=variants or 0, outbox=events or 0)


async def outbox_events(app: SubgraphApp) -> list[tuple[str, dict[str, Any]]]:
    """(event type, payload) of every outbox row, in the order they were recorded."""
    outbox = app.infra.tables.outbox
    async with app.infra.database.session() as session:
        rows = (await session.execute(select(outbox).order_by(outbox.c.seq))).mappings().all()
    return [(row["event_type"], loads(row["payload"])) for row in rows]


def without_extras(
    events: list[tuple[str, dict[str, Any]]], *keys: str
) -> list[tuple[str, dict[str, Any]]]:
    """Events with only the original contract fields (or ``keys``) of their payloads kept."""
    kept = keys or (
        "product_id", "slug", "name", "status", "price_amount", "currency", "category_id",
        "old_amount", "old_currency", "new_amount", "new_currency",
    )  # fmt: skip
    return [(t, {k: v for k, v in p.items() if k in kept}) for t, p in events]
