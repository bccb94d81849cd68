"""Use case: staff set a manual collection's products, in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shared.auth import Permission, Principal, require
from subgraphs.catalog.domain.collections import CollectionKind
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import Collection
from subgraphs.catalog.services.create_collection import check_products
from subgraphs.catalog.services.idempotent import claim
from subgraphs.catalog.uow import CatalogUnitOfWork

OPERATION = "collectionSetProducts"
MAX_PRODUCTS = 1_000


async def set_collection_products(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    collection_id: str,
    product_ids: Sequence[str],
    actor: Principal,
    idempotency_key: str | None = None,
) -> Collection:
    require(actor, Permission.MANAGE_PRODUCTS)
    if len(product_ids) > MAX_PRODUCTS:
        raise CatalogError(
            CatalogErrorCode.INVALID, f"At most {MAX_PRODUCTS} products.", field="productIds"
        )
    async with uow_factory() as uow:
        replay = await claim(
            uow,
            idempotency_key,
            operation=OPERATION,
            actor=actor,
            data={"id": collection_id, "products": list(product_ids)},
        )
        collection = await uow.collections.get(collection_id)
        if collection is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such collection.", field="id")
        if replay is not None:
            await uow.commit()
            return collection
        if collection.kind != CollectionKind.MANUAL:
            raise CatalogError(
                CatalogErrorCode.INVALID,
                "The products of a rule-based collection follow its rules.",
                field="productIds",
            )
        await uow.collections.set_products(collection.id, await check_products(uow, product_ids))
        await uow.commit(idempotent_response={"collection_id": collection.id})
    return collection
