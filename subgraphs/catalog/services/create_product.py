"""Use case: staff create a product with its variants."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.auth import Permission, Principal, require
from shared.idempotency import KEY_FIELD, IdempotencyError, IdempotentRequest
from shared.money import Money, MoneyError
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import (
    Product,
    ProductStatus,
    ProductVariant,
    check_description,
    check_name,
    check_price,
    check_slug,
    slugify,
)
from subgraphs.catalog.uow import CatalogUnitOfWork

MAX_VARIANTS = 100
OPERATION = "productCreate"  # scopes idempotency keys


@dataclass(frozen=True, slots=True)
class NewVariant:
    sku: str
    options: dict[str, str] = field(default_factory=dict)
    price_amount: str | None = None


@dataclass(frozen=True, slots=True)
class NewProduct:
    name: str
    price_amount: str
    currency: str
    slug: str | None = None
    description: str = ""
    status: ProductStatus = ProductStatus.DRAFT
    category_id: str | None = None
    variants: Sequence[NewVariant] = ()


def parse_money(amount: str, currency: str, field: str) -> Money:
    try:
        return Money.of(amount, currency)
    except MoneyError as exc:
        raise CatalogError(CatalogErrorCode.INVALID, str(exc), field=field) from exc


def check_sku(sku: str, field: str) -> str:
    cleaned = sku.strip()
    if not cleaned or len(cleaned) > 64:
        raise CatalogError(CatalogErrorCode.INVALID, "A SKU has 1 to 64 characters.", field=field)
    return cleaned


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


async def create_product(
    uow_factory: Callable[[], CatalogUnitOfWork],
    *,
    data: NewProduct,
    actor: Principal,
    idempotency_key: str | None = None,
) -> Product:
    """With ``idempotency_key``, a retry with the same data returns the first product again."""
    require(actor, Permission.MANAGE_PRODUCTS)
    name = check_name(data.name)
    slug = check_slug(data.slug) if data.slug else slugify(name)
    if not slug:
        raise CatalogError(CatalogErrorCode.INVALID, "Give the product a slug.", field="slug")
    description = check_description(data.description)
    price = check_price(parse_money(data.price_amount, data.currency, "price"))
    if len(data.variants) > MAX_VARIANTS:
        raise CatalogError(
            CatalogErrorCode.INVALID, f"At most {MAX_VARIANTS} variants.", field="variants"
        )
    skus = [check_sku(v.sku, f"variants.{i}.sku") for i, v in enumerate(data.variants)]
    if len(set(skus)) != len(skus):
        raise CatalogError(CatalogErrorCode.DUPLICATE, "SKUs must be unique.", field="variants")
    variant_prices = [
        check_price(
            parse_money(v.price_amount, price.currency, f"variants.{i}.price"),
            f"variants.{i}.price",
        )
        if v.price_amount is not None
        else None
        for i, v in enumerate(data.variants)
    ]
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
        if data.category_id is not None and await uow.categories.get(data.category_id) is None:
            raise CatalogError(CatalogErrorCode.NOT_FOUND, "No such category.", field="categoryId")
        if await uow.products.slug_taken(slug):
            raise CatalogError(CatalogErrorCode.DUPLICATE, "This slug is taken.", field="slug")
        taken = await uow.products.skus_taken(skus)
        if taken:
            raise CatalogError(
                CatalogErrorCode.DUPLICATE,
                f"SKU already in use: {', '.join(taken)}",
                field="variants",
            )
        product = Product(
            slug=slug,
            name=name,
            description=description,
            status=data.status,
            price_amount=price.amount,
            currency=price.currency,
            category_id=data.category_id,
        )
        uow.products.add(product)
        uow.products.add(
            *(
                ProductVariant(
                    product_id=product.id,
                    sku=sku,
                    name=" / ".join(str(v) for v in variant.options.values()),
                    options=dict(variant.options),
                    price_amount=variant_price.amount if variant_price else None,
                    position=position,
                )
                for position, (sku, variant, variant_price) in enumerate(
                    zip(skus, data.variants, variant_prices, strict=True)
                )
            )
        )
        uow.record(product.upserted())
        await uow.commit(idempotent_response={"product_id": product.id})
    return product
