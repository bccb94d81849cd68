"""Use case: staff publish a product (shoppers see it) or take it back to draft."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from shared.auth import Permission, Principal, require
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import Product, ProductStatus
from subgraphs.catalog.services.create_product import replayed_product
from subgraphs.catalog.services.idempotent import claim
from subgraphs.catalog.services.product_events import record_upserted
from subgraphs.catalog.uow import CatalogUnitOfWork


async def set_product_status(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    product_id: str,
    status: ProductStatus,
    actor: Principal,
    idempotency_key: str | None = None,
) -> Product:
    """Publishing a published product changes nothing and records no event."""
    require(actor, Permission.MANAGE_PRODUCTS)
    async with uow_factory() as uow:
        operation = "productPublish" if status == ProductStatus.PUBLISHED else "productUnpublish"
        replay = await claim(
            uow, idempotency_key, operation=operation, actor=actor, data={"id": product_id}
        )
        if replay is not None:
            return await replayed_product(uow, replay)
        product = await uow.products.get_for_update(product_id)
        if product is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product.", field="id")
        if product.status != status:
            product.status = status
            product.updated_at = datetime.now(UTC)
            await record_upserted(uow, product)
        await uow.commit(idempotent_response={"product_id": product.id})
    return product
