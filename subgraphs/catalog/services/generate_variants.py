"""Use case: staff add a variant for every combination of option values (size x colour) to a
product; combinations it already has are kept as they are."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from shared.auth import Permission, Principal, require
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import Product, ProductVariant
from subgraphs.catalog.domain.variants import MAX_VARIANTS, OptionValues, generate_variants
from subgraphs.catalog.services.create_product import replayed_product
from subgraphs.catalog.services.idempotent import claim
from subgraphs.catalog.services.product_events import record_upserted
from subgraphs.catalog.uow import CatalogUnitOfWork

OPERATION = "productVariantsGenerate"


async def add_generated_variants(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    product_id: str,
    sku_prefix: str,
    options: Sequence[OptionValues],
    actor: Principal,
    idempotency_key: str | None = None,
) -> Product:
    require(actor, Permission.MANAGE_PRODUCTS)
    generated = generate_variants(sku_prefix, options)
    async with uow_factory() as uow:
        replay = await claim(
            uow,
            idempotency_key,
            operation=OPERATION,
            actor=actor,
            data={"id": product_id, "prefix": sku_prefix, "options": list(options)},
        )
        if replay is not None:
            return await replayed_product(uow, replay)
        product = await uow.products.get_for_update(product_id)
        if product is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such product.", field="productId")
        existing = await uow.products.variants_of(product.id)
        have = {tuple(sorted(v.options.items())) for v in existing}
        new = [g for g in generated if tuple(sorted(g.options.items())) not in have]
        if len(existing) + len(new) > MAX_VARIANTS:
            raise CatalogError(
                CatalogErrorCode.INVALID, f"At most {MAX_VARIANTS} variants.", field="options"
            )
        taken = await uow.products.skus_taken([g.sku for g in new])
        if taken:
            raise CatalogError(
                CatalogErrorCode.DUPLICATE,
                f"SKU already in use: {', '.join(taken)}",
                field="skuPrefix",
            )
        start = max((v.position for v in existing), default=-1) + 1
        rows = [
            ProductVariant(
                product_id=product.id,
                sku=g.sku,
                name=g.name,
                options=g.options,
                position=start + i,
            )
            for i, g in enumerate(new)
        ]
        uow.products.add(*rows)
        product.updated_at = datetime.now(UTC)
        await record_upserted(uow, product, variants=[*existing, *rows])
        await uow.commit(idempotent_response={"product_id": product.id})
    return product
