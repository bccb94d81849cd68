"""Catalog mutations: parse, authorize, call one use case, map the result or the user errors."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.arguments import IdempotencyKey
from shared.graphql.permissions import HasPermission, requires
from subgraphs.catalog.domain.errors import CatalogError
from subgraphs.catalog.graphql.context import CatalogContext
from subgraphs.catalog.graphql.inputs import ProductCreateInput, ProductUpdateInput
from subgraphs.catalog.graphql.payloads import (
    ProductCreatePayload,
    ProductUpdatePayload,
    ProductUserError,
)
from subgraphs.catalog.graphql.types import Product
from subgraphs.catalog.services.create_product import NewProduct, NewVariant, create_product
from subgraphs.catalog.services.update_product import ProductChanges, update_product

MANAGE_PRODUCTS = requires(HasPermission(Permission.MANAGE_PRODUCTS))


@strawberry.type(name="Mutation")
class CatalogMutation:
    @strawberry.mutation(
        description="Create a product with its variants (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_create(
        self,
        info: Info[CatalogContext, None],
        input: ProductCreateInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ProductCreatePayload:
        data = NewProduct(
            name=input.name,
            slug=input.slug,
            description=input.description,
            status=input.status,
            price_amount=str(input.price.amount),
            currency=input.price.currency_code,
            category_id=str(input.category_id) if input.category_id is not None else None,
            variants=[
                NewVariant(
                    sku=v.sku,
                    options={o.name: o.value for o in v.options},
                    price_amount=str(v.price.amount) if v.price is not None else None,
                )
                for v in input.variants
            ],
        )
        try:
            product = await create_product(
                info.context.unit_of_work(),
                data=data,
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return ProductCreatePayload(
                product=None, user_errors=[ProductUserError.from_domain(exc)]
            )
        return ProductCreatePayload(product=Product.from_model(product), user_errors=[])

    @strawberry.mutation(
        description="Change a product's fields, status or price (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_update(
        self,
        info: Info[CatalogContext, None],
        input: ProductUpdateInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ProductUpdatePayload:
        changes = ProductChanges(
            name=input.name,
            slug=input.slug,
            description=input.description,
            status=input.status,
            price_amount=str(input.price.amount) if input.price is not None else None,
            currency=input.price.currency_code if input.price is not None else None,
            category_id=str(input.category_id) if input.category_id is not None else None,
        )
        try:
            product = await update_product(
                info.context.unit_of_work(),
                product_id=str(input.id),
                changes=changes,
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return ProductUpdatePayload(
                product=None, user_errors=[ProductUserError.from_domain(exc)]
            )
        return ProductUpdatePayload(product=Product.from_model(product), user_errors=[])
