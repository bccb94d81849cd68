"""Catalog input types."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.file_uploads import Upload

from subgraphs.catalog.graphql.types import (
    AttributeKind,
    CollectionRuleKind,
    ProductStatus,
)


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
    compare_at_price: MoneyInput | None = None
    weight_grams: int | None = None


@strawberry.input(description="An attribute's values on a product (strings, checked by kind).")
class AttributeValueInput:
    name: str
    values: list[str]


@strawberry.input(description="An option and its values, to generate variants from.")
class OptionValuesInput:
    name: str
    values: list[str]


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
    variant_options: list[OptionValuesInput] = strawberry.field(
        default_factory=list,
        description="Generate a variant per combination (with skuPrefix) instead of variants.",
    )
    sku_prefix: str | None = None
    compare_at_price: MoneyInput | None = None
    product_type_id: strawberry.ID | None = None
    attributes: list[AttributeValueInput] = strawberry.field(default_factory=list)
    vendor_id: strawberry.ID | None = None
    seo_title: str | None = None
    seo_description: str | None = None


@strawberry.input(description="Changes to a product; absent fields stay as they are.")
class ProductUpdateInput:
    id: strawberry.ID
    name: str | None = None
    slug: str | None = None
    description: str | None = None
    status: ProductStatus | None = None  # type: ignore[valid-type]
    price: MoneyInput | None = None
    category_id: strawberry.ID | None = None
    compare_at_price: MoneyInput | None = strawberry.field(
        default=None, description="A zero amount removes the compare-at price."
    )
    product_type_id: strawberry.ID | None = None
    attributes: list[AttributeValueInput] | None = strawberry.field(
        default=None, description="Replaces every attribute value."
    )
    vendor_id: strawberry.ID | None = None
    seo_title: str | None = None
    seo_description: str | None = None


@strawberry.input(description="Which product.")
class ProductIdInput:
    id: strawberry.ID


@strawberry.input(description="Variants to add for every combination of the options' values.")
class ProductVariantsGenerateInput:
    product_id: strawberry.ID
    sku_prefix: str
    options: list[OptionValuesInput]


@strawberry.input(description="An attribute of a new product type.")
class AttributeDefinitionInput:
    name: str
    kind: AttributeKind  # type: ignore[valid-type]
    choices: list[str] = strawberry.field(default_factory=list)
    required: bool = False
    multiple: bool = False


@strawberry.input(description="A new product type.")
class ProductTypeCreateInput:
    name: str
    attributes: list[AttributeDefinitionInput] = strawberry.field(default_factory=list)


@strawberry.input(description="A new category.")
class CategoryCreateInput:
    name: str
    slug: str | None = None
    parent_id: strawberry.ID | None = None
    position: int = 0


@strawberry.input(description="Changes to a category; absent fields stay as they are.")
class CategoryUpdateInput:
    id: strawberry.ID
    name: str | None = None
    slug: str | None = None
    position: int | None = None


@strawberry.input(description="Move a category under another one, or to the top (parentId null).")
class CategoryMoveInput:
    id: strawberry.ID
    parent_id: strawberry.ID | None = None
    position: int | None = None


@strawberry.input(description="One rule of a rule-based collection.")
class CollectionRuleInput:
    kind: CollectionRuleKind  # type: ignore[valid-type]
    attribute: str | None = None
    value: str | None = None
    category_id: strawberry.ID | None = None


@strawberry.input(description="A new collection: rules make it rule-based, else manual.")
class CollectionCreateInput:
    name: str
    slug: str | None = None
    description: str = ""
    product_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    rules: list[CollectionRuleInput] = strawberry.field(default_factory=list)


@strawberry.input(description="The products of a manual collection, in order.")
class CollectionSetProductsInput:
    id: strawberry.ID
    product_ids: list[strawberry.ID]


@strawberry.input(description="An image for a product (JPEG, PNG or WebP; multipart upload).")
class ProductImageUploadInput:
    product_id: strawberry.ID
    image: Upload
    alt: str = ""
