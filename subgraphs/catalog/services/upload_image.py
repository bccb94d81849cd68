"""Use case: staff attach an image to a product.

The bytes are checked and processed first (type by content, pixel limit, metadata stripped,
renditions made); a bad file is refused before anything is stored. Files go to storage before
the row is committed — a provider call never runs inside a transaction — and if the row cannot
be committed, the files this upload wrote are deleted again, so no orphan files stay behind.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from shared.auth import Permission, Principal, require
from subgraphs.catalog.adapters.images import ProcessedImage, process_image
from subgraphs.catalog.adapters.storage import ImageStorage
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import MAX_NAME, ProductImage
from subgraphs.catalog.services.idempotent import claim
from subgraphs.catalog.services.product_events import record_upserted
from subgraphs.catalog.uow import CatalogUnitOfWork

OPERATION = "productImageUpload"
log = logging.getLogger(__name__)


def too_large(max_bytes: int) -> CatalogError:
    return CatalogError(
        CatalogErrorCode.FILE_TOO_LARGE,
        f"An image is at most {max_bytes // (1024 * 1024)} MB.",
        field="image",
    )


async def _store(storage: ImageStorage, processed: ProcessedImage, skip: bool) -> list[str]:
    """Write every rendition; returns the keys written (none when the digest is stored already).
    A failure deletes what this call wrote and re-raises."""
    if skip:
        return []
    written: list[str] = []
    try:
        for rendition in processed.renditions:
            key = rendition.key(processed.digest)
            await storage.put(key, rendition.data, rendition.content_type)
            written.append(key)
    except BaseException:
        await _remove(storage, written)
        raise
    return written


async def _remove(storage: ImageStorage, keys: list[str]) -> None:
    for key in keys:
        try:
            await storage.delete(key)
        except Exception:
            log.warning("could not delete an image file", extra={"key": key}, exc_info=True)


async def upload_image(
    uow_factory: Callable[[], CatalogUnitOfWork],
    storage: ImageStorage,
    *,
    product_id: str,
    data: bytes,
    alt: str,
    actor: Principal,
    max_bytes: int,
    idempotency_key: str | None = None,
) -> ProductImage:
    require(actor, Permission.MANAGE_PRODUCTS)
    alt = " ".join(alt.split())
    if len(alt) > MAX_NAME:
        raise CatalogError(
            CatalogErrorCode.INVALID, f"Alt text is at most {MAX_NAME} characters.", field="alt"
        )
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    if not data:
        raise CatalogError(CatalogErrorCode.REQUIRED, "The file is empty.", field="image")
    async with uow_factory() as uow:
        if await uow.products.get(product_id) is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product.", field="productId")
    processed = await asyncio.to_thread(process_image, data)
    async with uow_factory() as uow:
        stored_before = await uow.products.image_digest_used(processed.digest)
    written = await _store(storage, processed, skip=stored_before)
    try:
        return await _record(
            uow_factory, storage, processed, product_id, alt, actor, idempotency_key
        )
    except BaseException:
        await _remove(storage, written)
        raise


async def _record(
    uow_factory: Callable[[], CatalogUnitOfWork],
    storage: ImageStorage,
    processed: ProcessedImage,
    product_id: str,
    alt: str,
    actor: Principal,
    idempotency_key: str | None,
) -> ProductImage:
    async with uow_factory() as uow:
        replay = await claim(
            uow,
            idempotency_key,
            operation=OPERATION,
            actor=actor,
            data={"product": product_id, "digest": processed.digest, "alt": alt},
        )
        existing = await uow.products.image_of(product_id, processed.digest)
        if replay is not None or existing is not None:
            if existing is None:
                raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such image.", field="image")
            await uow.commit(
                idempotent_response={"image_id": existing.id} if replay is None else None
            )
            return existing
        product = await uow.products.get_for_update(product_id)
        if product is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product.", field="productId")
        images = await uow.products.images_of(product_id)
        image = ProductImage(
            product_id=product_id,
            digest=processed.digest,
            alt=alt,
            width=processed.width,
            height=processed.height,
            format=processed.format,
            renditions=[
                {
                    "size": r.size,
                    "format": r.format,
                    "width": r.width,
                    "height": r.height,
                    "url": storage.url(r.key(processed.digest)),
                }
                for r in processed.renditions
            ],
            position=max((i.position for i in images), default=-1) + 1,
        )
        uow.products.add(image)
        product.updated_at = datetime.now(UTC)
        await record_upserted(uow, product)
        await uow.commit(idempotent_response={"image_id": image.id})
    return image
