"""A product as staff or an import file give it, and its checks before any I/O.

``prepare`` turns raw input into rows ready to insert, applying every rule that needs no
database: names, slugs, prices and compare-at prices, SEO, variant SKUs and options, attribute
values against the product type. What needs the database (slug and SKU collisions, the
category's existence) is checked by the use cases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shared.money import Money, MoneyError
from subgraphs.catalog.domain.attributes import ProductTypeSpec, untyped_attributes
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.models import (
    Product,
    ProductStatus,
    ProductVariant,
    check_compare_at,
    check_description,
    check_name,
    check_price,
    check_seo,
    check_slug,
    slugify,
)
from subgraphs.catalog.domain.variants import (
    MAX_VARIANTS,
    OptionValues,
    check_sku,
    generate_variants,
)

MAX_WEIGHT_GRAMS = 1_000_000


@dataclass(frozen=True, slots=True)
class NewVariant:
    sku: str
    options: dict[str, str] = field(default_factory=dict)
    price_amount: str | None = None
    compare_at_amount: str | None = None
    weight_grams: int | None = None


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
    compare_at_amount: str | None = None
    product_type_id: str | None = None
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    vendor_id: str | None = None
    seo_title: str | None = None
    seo_description: str | None = None
    option_values: Sequence[OptionValues] = ()
    """Generate a variant for every combination (with ``sku_prefix``) instead of ``variants``."""
    sku_prefix: str | None = None


@dataclass(frozen=True, slots=True)
class PreparedProduct:
    """Rows to insert; ``slug_given`` tells whether a taken slug is an error (given) or gets a
    suffix (derived from the name)."""

    product: Product
    variants: list[ProductVariant]
    slug_given: bool


def parse_money(amount: str, currency: str, field: str) -> Money:
    try:
        return Money.of(amount, currency)
    except MoneyError as exc:
        raise CatalogError(CatalogErrorCode.INVALID, str(exc), field=field) from exc


def optional_money(amount: str | None, currency: str, field: str) -> Money | None:
    return parse_money(amount, currency, field) if amount is not None and amount != "" else None


def check_weight(grams: int | None, field: str) -> int | None:
    if grams is not None and not 0 <= grams <= MAX_WEIGHT_GRAMS:
        raise CatalogError(
            CatalogErrorCode.INVALID, f"A weight is 0 to {MAX_WEIGHT_GRAMS} grams.", field=field
        )
    return grams


def _variants(data: NewProduct, price: Money) -> list[NewVariant]:
    if data.option_values:
        if data.variants:
            raise CatalogError(
                CatalogErrorCode.INVALID,
                "Give variants or options to generate them from, not both.",
                field="variants",
            )
        generated = generate_variants(data.sku_prefix or "", data.option_values)
        return [NewVariant(sku=g.sku, options=g.options) for g in generated]
    if len(data.variants) > MAX_VARIANTS:
        raise CatalogError(
            CatalogErrorCode.INVALID, f"At most {MAX_VARIANTS} variants.", field="variants"
        )
    return list(data.variants)


def prepare(data: NewProduct, product_type: ProductTypeSpec | None) -> PreparedProduct:
    """Check ``data`` (``product_type``: the spec of ``data.product_type_id``, already found)."""
    name = check_name(data.name)
    slug = check_slug(data.slug) if data.slug else slugify(name)
    if not slug:
        raise CatalogError(CatalogErrorCode.INVALID, "Give the product a slug.", field="slug")
    description = check_description(data.description)
    price = check_price(parse_money(data.price_amount, data.currency, "price"))
    compare_at = check_compare_at(
        optional_money(data.compare_at_amount, price.currency, "compareAtPrice"),
        price,
        "compareAtPrice",
    )
    seo_title, seo_description = check_seo(data.seo_title, data.seo_description)
    if product_type is None:
        untyped_attributes(data.attributes)
        attributes: dict[str, list[str]] = {}
    else:
        attributes = product_type.validate(data.attributes)
    vendor_id = (data.vendor_id or "").strip() or None
    if vendor_id is not None and len(vendor_id) > 36:
        raise CatalogError(CatalogErrorCode.INVALID, "A vendor id is a UUID.", field="vendorId")
    variants = _variants(data, price)
    skus = [check_sku(v.sku, f"variants.{i}.sku") for i, v in enumerate(variants)]
    if len(set(skus)) != len(skus):
        raise CatalogError(CatalogErrorCode.DUPLICATE, "SKUs must be unique.", field="variants")
    product = Product(
        slug=slug,
        name=name,
        description=description,
        status=data.status,
        price_amount=price.amount,
        currency=price.currency,
        category_id=data.category_id,
        compare_at_amount=compare_at.amount if compare_at else None,
        product_type_id=data.product_type_id,
        vendor_id=vendor_id,
        seo_title=seo_title,
        seo_description=seo_description,
        attributes=attributes,
    )
    rows = []
    for position, (sku, variant) in enumerate(zip(skus, variants, strict=True)):
        at = f"variants.{position}"
        own = optional_money(variant.price_amount, price.currency, f"{at}.price")
        own = check_price(own, f"{at}.price") if own is not None else None
        variant_compare = check_compare_at(
            optional_money(variant.compare_at_amount, price.currency, f"{at}.compareAtPrice"),
            own or price,
            f"{at}.compareAtPrice",
        )
        rows.append(
            ProductVariant(
                product_id=product.id,
                sku=sku,
                name=" / ".join(str(v) for v in variant.options.values()),
                options={str(k): str(v) for k, v in variant.options.items()},
                price_amount=own.amount if own else None,
                compare_at_amount=variant_compare.amount if variant_compare else None,
                weight_grams=check_weight(variant.weight_grams, f"{at}.weightGrams"),
                position=position,
            )
        )
    return PreparedProduct(product=product, variants=rows, slug_given=bool(data.slug))
