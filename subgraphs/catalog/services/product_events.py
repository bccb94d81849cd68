"""What every product write ends with: the ProductUpserted event (the product as a whole, as
the search and checkout subgraphs need it) and the product's places in rule-based collections."""

from __future__ import annotations

from collections.abc import Sequence

from subgraphs.catalog.domain.models import (
    Product,
    ProductContext,
    ProductImage,
    ProductVariant,
)
from subgraphs.catalog.uow import CatalogUnitOfWork

THUMBNAIL_SIZE = 320


def thumbnail_url(image: ProductImage | None) -> str | None:
    """The URL of the image's WebP rendition closest to the thumbnail size."""
    if image is None or not image.renditions:
        return None
    webp = [r for r in image.renditions if r.get("format") == "webp"] or image.renditions
    best = min(webp, key=lambda r: abs(int(r["size"]) - THUMBNAIL_SIZE))
    return str(best["url"])


async def record_upserted(
    uow: CatalogUnitOfWork,
    product: Product,
    *,
    variants: Sequence[ProductVariant] | None = None,
) -> None:
    """Record ProductUpserted for ``product`` (staged rows included) and place it in the
    rule-based collections it now matches."""
    await uow.session.flush()
    if variants is None:
        variants = await uow.products.variants_of(product.id)
    chain = await uow.categories.chain(product.category_id)
    product_type = (
        await uow.product_types.get(product.product_type_id) if product.product_type_id else None
    )
    image = await uow.products.first_image(product.id)
    context = ProductContext(
        variants=variants,
        categories=chain,
        product_type=product_type.name if product_type else None,
        image_url=thumbnail_url(image),
    )
    uow.record(product.upserted(context))
    await refresh_memberships(uow, product, frozenset(c for c, _ in chain))


async def refresh_memberships(
    uow: CatalogUnitOfWork, product: Product, category_ids: frozenset[str]
) -> None:
    collections = await uow.collections.rule_based()
    if not collections:
        return
    facts = product.facts(category_ids)
    member = {c.id for c in collections if c.rule_set.matches(facts)}
    await uow.collections.place(product.id, member, {c.id for c in collections} - member)
