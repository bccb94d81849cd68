"""Use case: every product as a file record (the shape ``import_products`` reads back)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

from shared.auth import Permission, Principal, require
from shared.money import Money
from subgraphs.catalog.domain.models import Product, ProductStatus, ProductVariant
from subgraphs.catalog.uow import CatalogUnitOfWork

BATCH = 1_000


def _amount(value: Decimal | None, currency: str) -> str | None:
    return None if value is None else str(Money.of(value, currency).amount)


def product_record(
    product: Product,
    variants: list[ProductVariant],
    category_slugs: dict[str, str],
    type_names: dict[str, str],
) -> dict[str, Any]:
    currency = product.currency
    price = product.price
    compare_at = product.compare_at
    return {
        "name": product.name,
        "slug": product.slug,
        "description": product.description,
        "status": ProductStatus(product.status).value,
        "price": str(price.amount),
        "currency": currency,
        "compare_at_price": str(compare_at.amount) if compare_at else None,
        "category": category_slugs.get(product.category_id or ""),
        "product_type": type_names.get(product.product_type_id or ""),
        "vendor_id": product.vendor_id,
        "seo_title": product.seo_title,
        "seo_description": product.seo_description,
        "attributes": dict(product.attributes),
        "variants": [
            {
                "sku": v.sku,
                "options": dict(v.options),
                "price": _amount(v.price_amount, currency),
                "compare_at_price": _amount(v.compare_at_amount, currency),
                "weight_grams": v.weight_grams,
            }
            for v in variants
        ],
    }


async def export_products(
    uow_factory: Callable[[], CatalogUnitOfWork], *, actor: Principal
) -> AsyncIterator[dict[str, Any]]:
    """Records of every product, ordered by id, read a batch at a time."""
    require(actor, Permission.MANAGE_PRODUCTS)
    async with uow_factory() as uow:
        category_slugs = {i: s for s, i in (await uow.categories.slugs()).items()}
        type_names = {t.id: t.name for t in await uow.product_types.all()}
        after: str | None = None
        while True:
            ids = await uow.products.all_ids(after=after, limit=BATCH)
            if not ids:
                break
            products = sorted(await uow.products.by_ids(ids), key=lambda p: p.id)
            variants: dict[str, list[ProductVariant]] = {p: [] for p in ids}
            for variant in await uow.products.variants_of_many(ids):
                variants[variant.product_id].append(variant)
            for product in products:
                yield product_record(product, variants[product.id], category_slugs, type_names)
            after = ids[-1]
            uow.session.expunge_all()
