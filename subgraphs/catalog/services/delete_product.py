"""Use case: staff delete a product with its variants, image records and collection places.

Image files stay in storage: their names are content-addressed and may be shared by another
product's identical image (a storage sweep can remove unreferenced files)."""

from __future__ import annotations

from collections.abc import Callable

from shared.auth import Permission, Principal, require
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import Product, ProductView
from subgraphs.catalog.services.idempotent import claim
from subgraphs.catalog.uow import CatalogUnitOfWork

OPERATION = "productDelete"


async def delete_product(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    product_id: str,
    actor: Principal,
    idempotency_key: str | None = None,
) -> ProductView | None:
    """The product as it was before deletion; None for a replayed request (already deleted)."""
    require(actor, Permission.MANAGE_PRODUCTS)
    async with uow_factory() as uow:
        replay = await claim(
            uow, idempotency_key, operation=OPERATION, actor=actor, data={"id": product_id}
        )
        if replay is not None:
            await uow.commit()
            return None
        product: Product | None = await uow.products.get_for_update(product_id)
        if product is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product.", field="id")
        before = ProductView.of(product)
        await uow.products.delete(product)
        uow.record(product.deleted())
        await uow.commit(idempotent_response={"product_id": product_id})
    return before
