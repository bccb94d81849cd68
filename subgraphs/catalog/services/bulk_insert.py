"""Writing many prepared products in one transaction: products, variants and their
ProductUpserted outbox rows go in with a few multi-row INSERTs (import and seeding)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Table

from subgraphs.catalog.domain.collections import CollectionRules
from subgraphs.catalog.domain.models import (
    CollectionProduct,
    Product,
    ProductContext,
    ProductVariant,
)
from subgraphs.catalog.repository import category_chain
from subgraphs.catalog.services.product_input import PreparedProduct
from subgraphs.catalog.uow import CatalogUnitOfWork

_products: Table = Product.__table__  # type: ignore[attr-defined]
_variants: Table = ProductVariant.__table__  # type: ignore[attr-defined]
_members: Table = CollectionProduct.__table__  # type: ignore[attr-defined]


@dataclass
class CatalogLookups:
    """What a bulk write needs to know of the catalog, read once: the category tree, product
    types by id, rule-based collections."""

    tree: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    type_names: dict[str, str] = field(default_factory=dict)
    rules: dict[str, CollectionRules] = field(default_factory=dict)

    @classmethod
    async def load(cls, uow: CatalogUnitOfWork) -> CatalogLookups:
        parents = await uow.categories.parents()
        names = await uow.categories.names()
        return cls(
            tree={c: (p, names[c]) for c, p in parents.items()},
            type_names={t.id: t.name for t in await uow.product_types.all()},
            rules={c.id: c.rule_set for c in await uow.collections.rule_based()},
        )


def _row(table: Table, obj: object) -> dict[str, object]:
    return {c.name: getattr(obj, c.name) for c in table.columns}


async def bulk_insert(
    uow: CatalogUnitOfWork,
    prepared: Sequence[PreparedProduct],
    lookups: CatalogLookups,
    *,
    events: bool = True,
) -> None:
    """Stage the products, their variants, rule-collection places and (unless ``events`` is
    False) one ProductUpserted each; the caller commits."""
    if not prepared:
        return
    session = uow.session
    await session.execute(_products.insert(), [_row(_products, p.product) for p in prepared])
    variant_rows = [_row(_variants, v) for p in prepared for v in p.variants]
    if variant_rows:
        await session.execute(_variants.insert(), variant_rows)
    places: list[dict[str, object]] = []
    for item in prepared:
        product = item.product
        chain = category_chain(product.category_id, lookups.tree) if product.category_id else []
        if lookups.rules:
            facts = product.facts(frozenset(c for c, _ in chain))
            places.extend(
                {"collection_id": c, "product_id": product.id, "position": 0}
                for c, rules in lookups.rules.items()
                if rules.matches(facts)
            )
        if events:
            context = ProductContext(
                variants=item.variants,
                categories=chain,
                product_type=lookups.type_names.get(product.product_type_id or ""),
            )
            uow.record(product.upserted(context))
    if places:
        await session.execute(_members.insert(), places)


async def insert_rows(
    uow: CatalogUnitOfWork,
    products: Sequence[dict[str, object]],
    variants: Sequence[dict[str, object]],
) -> None:
    """Plain rows straight in (seeding at scale; the caller built them within the rules)."""
    if products:
        await uow.session.execute(_products.insert(), list(products))
    if variants:
        await uow.session.execute(_variants.insert(), list(variants))
