"""Use case: staff create a product with its variants (given, or generated from options)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from shared.auth import Permission, Principal, require
from shared.idempotency import KEY_FIELD, IdempotencyError, IdempotentRequest
from subgraphs.catalog.domain.attributes import ProductTypeSpec
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import Product, unique_slug
from subgraphs.catalog.services.product_events import record_upserted
from subgraphs.catalog.services.product_input import (
    NewProduct,
    NewVariant,
    parse_money,
    prepare,
)
from subgraphs.catalog.uow import CatalogUnitOfWork

__all__ = ["NewProduct", "NewVariant", "create_product", "parse_money", "replayed_product"]
OPERATION = "productCreate"  # scopes idempotency keys


async def replayed_product(uow: CatalogUnitOfWork, response: Mapping[str, Any]) -> Product:
    """The product a replayed request returns (its id was stored with the idempotency key).

    Commits ``uow``: there is nothing to write, and a rollback would expire the loaded fields."""
    product = await uow.products.get(str(response["product_id"]))
    if product is None:
        raise CatalogError(
            CatalogErrorCode.NOT_FOUND,
            "The product made with this idempotency key no longer exists.",
            field=KEY_FIELD,
        )
    await uow.commit()
    return product


async def type_spec(uow: CatalogUnitOfWork, type_id: str | None) -> ProductTypeSpec | None:
    if type_id is None:
        return None
    product_type = await uow.product_types.get(type_id)
    if product_type is None:
        raise CatalogError(
            CatalogErrorCode.NOT_FOUND, "No such product type.", field="productTypeId"
        )
    return product_type.spec()


async def create_product(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    data: NewProduct,
    actor: Principal,
    idempotency_key: str | None = None,
) -> Product:
    """With ``idempotency_key``, a retry with the same data returns the first product again.

    A slug derived from the name gets a suffix (``-2``, ``-3``…) when taken; a given one that
    is taken is refused."""
    require(actor, Permission.MANAGE_PRODUCTS)
    async with uow_factory() as uow:
        try:
            request = IdempotentRequest.of(
                idempotency_key, operation=OPERATION, caller=actor, data=data
            )
            replay = await uow.claim_idempotency_key(request)
        except IdempotencyError as exc:
            raise CatalogError.from_idempotency(exc) from exc
        if replay is not None:
            return await replayed_product(uow, replay)
        prepared = prepare(data, await type_spec(uow, data.product_type_id))
        product = prepared.product
        if data.category_id is not None and await uow.categories.get(data.category_id) is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such category.", field="categoryId")
        if prepared.slug_given:
            if await uow.products.slug_taken(product.slug):
                raise CatalogError(CatalogErrorCode.DUPLICATE, "This slug is taken.", field="slug")
        else:
            product.slug = unique_slug(product.slug, await uow.products.slugs_taken(product.slug))
        taken = await uow.products.skus_taken([v.sku for v in prepared.variants])
        if taken:
            raise CatalogError(
                CatalogErrorCode.DUPLICATE,
                f"SKU already in use: {', '.join(taken)}",
                field="variants",
            )
        uow.products.add(product)
        await uow.session.flush()  # the product before its variants (foreign key)
        uow.products.add(*prepared.variants)
        await record_upserted(uow, product, variants=prepared.variants)
        await uow.commit(idempotent_response={"product_id": product.id})
    return product
