"""Mutation payloads: the object plus ``userErrors`` with stable codes."""

from __future__ import annotations

import strawberry

from shared.graphql.types import UserError
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.graphql.media_types import ProductImage
from subgraphs.catalog.graphql.types import Category, Collection, Product, ProductType

ProductErrorCode = strawberry.enum(
    CatalogErrorCode,
    name="ProductErrorCode",
    description="Why a catalog mutation refused its input.",
)


@strawberry.type(description="A problem with a catalog mutation's input.")
class ProductUserError(UserError):
    code: ProductErrorCode  # type: ignore[valid-type]

    @classmethod
    def from_domain(cls, error: CatalogError) -> ProductUserError:
        return cls(
            field=error.field.split(".") if error.field else None,
            message=error.message,
            code=error.code,
        )


@strawberry.type(description="The created product, or why it was not created.")
class ProductCreatePayload:
    product: Product | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The updated product, or why it was not updated.")
class ProductUpdatePayload:
    product: Product | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The published product, or why not.")
class ProductPublishPayload:
    product: Product | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The product back in draft, or why not.")
class ProductUnpublishPayload:
    product: Product | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The product as it was before deletion, or why not.")
class ProductDeletePayload:
    product: Product | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The product with its new variants, or why not.")
class ProductVariantsGeneratePayload:
    product: Product | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The created product type, or why not.")
class ProductTypeCreatePayload:
    product_type: ProductType | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The created category, or why not.")
class CategoryCreatePayload:
    category: Category | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The updated category, or why not.")
class CategoryUpdatePayload:
    category: Category | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The moved category, or why not.")
class CategoryMovePayload:
    category: Category | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The created collection, or why not.")
class CollectionCreatePayload:
    collection: Collection | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The collection, or why not.")
class CollectionSetProductsPayload:
    collection: Collection | None
    user_errors: list[ProductUserError]


@strawberry.type(description="The stored image and its product, or why the file was refused.")
class ProductImageUploadPayload:
    image: ProductImage | None
    product: Product | None
    user_errors: list[ProductUserError]
