"""Use case: staff change a product's fields, status, prices, type and attributes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from shared.auth import Permission, Principal, require
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.catalog.domain.attributes import untyped_attributes
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import (
    Product,
    ProductStatus,
    check_compare_at,
    check_description,
    check_name,
    check_price,
    check_seo,
    check_slug,
)
from subgraphs.catalog.services.create_product import replayed_product, type_spec
from subgraphs.catalog.services.product_events import record_upserted
from subgraphs.catalog.services.product_input import optional_money, parse_money
from subgraphs.catalog.uow import CatalogUnitOfWork

OPERATION = "productUpdate"  # scopes idempotency keys


@dataclass(frozen=True, slots=True)
class ProductChanges:
    """Fields left as None are not changed. ``compare_at_amount`` "" removes the compare-at
    price; ``vendor_id``, ``seo_title``, ``seo_description`` "" clear them."""

    name: str | None = None
    slug: str | None = None
    description: str | None = None
    status: ProductStatus | None = None
    price_amount: str | None = None
    currency: str | None = None
    category_id: str | None = None
    compare_at_amount: str | None = None
    product_type_id: str | None = None
    attributes: Mapping[str, Sequence[str]] | None = None
    vendor_id: str | None = None
    seo_title: str | None = None
    seo_description: str | None = None


async def _apply(uow: CatalogUnitOfWork, product: Product, changes: ProductChanges) -> None:
    if changes.name is not None:
        product.name = check_name(changes.name)
    if changes.slug is not None and changes.slug != product.slug:
        slug = check_slug(changes.slug)
        if await uow.products.slug_taken(slug, except_id=product.id):
            raise CatalogError(CatalogErrorCode.DUPLICATE, "This slug is taken.", field="slug")
        product.slug = slug
    if changes.description is not None:
        product.description = check_description(changes.description)
    if changes.status is not None:
        product.status = changes.status
    if changes.category_id is not None:
        if await uow.categories.get(changes.category_id) is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such category.", field="categoryId")
        product.category_id = changes.category_id
    _apply_seo(product, changes)
    if changes.vendor_id is not None:
        product.vendor_id = changes.vendor_id.strip()[:36] or None
    await _apply_type(uow, product, changes)


def _apply_seo(product: Product, changes: ProductChanges) -> None:
    if changes.seo_title is not None or changes.seo_description is not None:
        title, description = check_seo(changes.seo_title, changes.seo_description)
        if changes.seo_title is not None:
            product.seo_title = title
        if changes.seo_description is not None:
            product.seo_description = description


async def _apply_type(uow: CatalogUnitOfWork, product: Product, changes: ProductChanges) -> None:
    if changes.product_type_id is not None or changes.attributes is not None:
        if changes.product_type_id is not None:
            product.product_type_id = changes.product_type_id or None
        spec = await type_spec(uow, product.product_type_id)
        values = changes.attributes if changes.attributes is not None else product.attributes
        if spec is None:
            untyped_attributes(values)
            product.attributes = {}
        else:
            product.attributes = spec.validate(values)


async def update_product(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    product_id: str,
    changes: ProductChanges,
    actor: Principal,
    idempotency_key: str | None = None,
) -> Product:
    """With ``idempotency_key``, a retry with the same changes changes nothing more and returns
    the product as it is now."""
    require(actor, Permission.MANAGE_PRODUCTS)
    async with uow_factory() as uow:
        try:
            request = IdempotentRequest.of(
                idempotency_key,
                operation=OPERATION,
                caller=actor,
                data={"product_id": product_id, "changes": changes},
            )
            replay = await uow.claim_idempotency_key(request)
        except IdempotencyError as exc:
            raise CatalogError.from_idempotency(exc) from exc
        if replay is not None:
            return await replayed_product(uow, replay)
        product = await uow.products.get_for_update(product_id)
        if product is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product.", field="id")
        await _apply(uow, product, changes)
        if changes.price_amount is not None or changes.currency is not None:
            price = check_price(
                parse_money(
                    changes.price_amount or str(product.price_amount),
                    changes.currency or product.currency,
                    "price",
                )
            )
            price_changed = product.change_price(price)
            if price_changed is not None:
                uow.record(price_changed)
        if changes.compare_at_amount is not None:
            compare_at = check_compare_at(
                optional_money(changes.compare_at_amount, product.currency, "compareAtPrice"),
                product.price,
                "compareAtPrice",
            )
            product.compare_at_amount = compare_at.amount if compare_at else None
        elif product.compare_at is not None and product.compare_at.amount <= product.price.amount:
            product.compare_at_amount = None  # a price at or above "was" ends the sale
        product.updated_at = datetime.now(UTC)
        await record_upserted(uow, product)
        await uow.commit(idempotent_response={"product_id": product.id})
    return product
