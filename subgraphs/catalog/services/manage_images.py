"""Use cases: staff (MANAGE_PRODUCTS) remove a product image or put the images in a new order.
Both re-publish the product (ProductUpserted: search shows the new first image). A removed
image's stored renditions are deleted once no product uses that file any more (files are
content-addressed and shared), after the commit — a failed file delete leaves an orphan file,
never a broken image."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from shared.auth import Permission, Principal, require
from subgraphs.catalog.adapters.images import Rendition
from subgraphs.catalog.adapters.storage import ImageStorage
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.services.product_events import record_upserted
from subgraphs.catalog.uow import CatalogUnitOfWork


async def delete_image(
    uow_factory: Callable[[], CatalogUnitOfWork],
    storage: ImageStorage,
    *,
    image_id: str,
    actor: Principal,
) -> str:
    """The product id; the remaining images keep their order (positions 0…n-1)."""
    require(actor, Permission.MANAGE_PRODUCTS)
    async with uow_factory() as uow:
        image = await uow.products.image_by_id(image_id)
        if image is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such image.", field="imageId")
        product = await uow.products.get_for_update(image.product_id)
        assert product is not None
        digest, renditions = image.digest, list(image.renditions)
        await uow.products.delete_image(image)
        remaining = sorted(await uow.products.images_of(product.id), key=lambda i: i.position)
        for position, other in enumerate(x for x in remaining if x.id != image_id):
            other.position = position
        product.updated_at = datetime.now(UTC)
        await record_upserted(uow, product)
        orphaned = not await uow.products.image_digest_used(digest, except_id=image_id)
        await uow.commit()
    if orphaned:
        for rendition in renditions:
            key = Rendition(
                size=int(rendition["size"]),
                format=str(rendition["format"]),
                width=int(rendition["width"]),
                height=int(rendition["height"]),
                data=b"",
            ).key(digest)
            with contextlib.suppress(OSError, RuntimeError):
                await storage.delete(key)
    return product.id


async def reorder_images(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    product_id: str,
    image_ids: Sequence[str],
    actor: Principal,
) -> str:
    """``image_ids`` must list every image of the product once, in the new order."""
    require(actor, Permission.MANAGE_PRODUCTS)
    async with uow_factory() as uow:
        product = await uow.products.get_for_update(product_id)
        if product is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product.", field="productId")
        images = {i.id: i for i in await uow.products.images_of(product_id)}
        if sorted(image_ids) != sorted(images) or len(set(image_ids)) != len(image_ids):
            raise CatalogError(
                CatalogErrorCode.INVALID,
                "List every image of the product exactly once.",
                field="imageIds",
            )
        for position, image_id in enumerate(image_ids):
            images[image_id].position = position
        product.updated_at = datetime.now(UTC)
        await record_upserted(uow, product)
        await uow.commit()
    return product_id
