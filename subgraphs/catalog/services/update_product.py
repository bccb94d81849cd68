"""Use case: staff change a product's fields, status or price."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from shared.auth import Permission, Principal, require
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import (
    Product,
    ProductStatus,
    check_description,
    check_name,
    check_price,
    check_slug,
)
from subgraphs.catalog.services.create_product import parse_money, replayed_product
from subgraphs.catalog.uow import CatalogUnitOfWork

OPERATION = "productUpdate"  # scopes idempotency keys


@dataclass(frozen=True, slots=True)
class ProductChanges:
    """Fields left as None are not changed."""

    name: str | None = None
    slug: str | None = None
    description: str | None = None
    status: ProductStatus | None = None
    price_amount: str | None = None
    currency: str | None = None
    category_id: str | None = None


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
                raise CatalogError(
                    CatalogErrorCode.NOT_FOUND, "No such category.", field="categoryId"
                )
            product.category_id = changes.category_id
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
        product.updated_at = datetime.now(UTC)
        uow.record(product.upserted())
        await uow.commit(idempotent_response={"product_id": product.id})
    return product
