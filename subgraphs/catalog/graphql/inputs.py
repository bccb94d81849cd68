"""Catalog input types."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from subgraphs.catalog.graphql.types import ProductStatus


@strawberry.input(description="An amount and its ISO 4217 currency.")
class MoneyInput:
    amount: Decimal
    currency_code: str


@strawberry.input(description="Which products to list.")
class ProductFilterInput:
    search: str | None = strawberry.field(default=None, description="Words in the product name.")
    category_id: strawberry.ID | None = None
    category_slug: str | None = None
    include_subcategories: bool = strawberry.field(
        default=True, description="Also list products of the category's descendants."
    )
    status: list[ProductStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Staff only: statuses to include (default: published)."
    )


@strawberry.input(description="An option of a variant, e.g. size = M.")
class SelectedOptionInput:
    name: str
    value: str


@strawberry.input(description="A variant of a new product.")
class ProductVariantCreateInput:
    sku: str
    options: list[SelectedOptionInput] = strawberry.field(default_factory=list)
    price: MoneyInput | None = strawberry.field(
        default=None, description="Overrides the product price (same currency)."
    )


@strawberry.input(description="A new product.")
class ProductCreateInput:
    name: str
    price: MoneyInput
    slug: str | None = strawberry.field(
        default=None, description="Derived from the name if absent."
    )
    description: str = ""
    status: ProductStatus = ProductStatus.DRAFT  # type: ignore[valid-type]
    category_id: strawberry.ID | None = None
    variants: list[ProductVariantCreateInput] = strawberry.field(default_factory=list)


@strawberry.input(description="Changes to a product; absent fields stay as they are.")
class ProductUpdateInput:
    id: strawberry.ID
    name: str | None = None
    slug: str | None = None
    description: str | None = None
    status: ProductStatus | None = None  # type: ignore[valid-type]
    price: MoneyInput | None = None
    category_id: strawberry.ID | None = None
