"""Mutation payloads: the object plus ``userErrors`` with stable codes."""

from __future__ import annotations

import strawberry

from shared.graphql.types import UserError
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.graphql.types import Product

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
