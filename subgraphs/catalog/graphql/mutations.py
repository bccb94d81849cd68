"""Catalog mutations on products: parse, authorize, call one use case, map the result or the
user errors. Types, categories and collections live in ``structure_mutations``; images in
``image_mutations``; ``CatalogMutation`` joins them."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.arguments import IdempotencyKey
from shared.graphql.permissions import HasPermission, requires
from subgraphs.catalog.domain.errors import CatalogError
from subgraphs.catalog.domain.models import ProductStatus as ProductStatusValue
from subgraphs.catalog.domain.variants import OptionValues
from subgraphs.catalog.graphql.context import CatalogContext
from subgraphs.catalog.graphql.image_mutations import ImageManagementMutations, ImageMutations
from subgraphs.catalog.graphql.inputs import (
    AttributeValueInput,
    MoneyInput,
    OptionValuesInput,
    ProductCreateInput,
    ProductIdInput,
    ProductUpdateInput,
    ProductVariantsGenerateInput,
)
from subgraphs.catalog.graphql.payloads import (
    ProductCreatePayload,
    ProductDeletePayload,
    ProductPublishPayload,
    ProductUnpublishPayload,
    ProductUpdatePayload,
    ProductUserError,
    ProductVariantsGeneratePayload,
)
from subgraphs.catalog.graphql.structure_mutations import StructureMutations
from subgraphs.catalog.graphql.types import Product
from subgraphs.catalog.services.create_product import NewProduct, NewVariant, create_product
from subgraphs.catalog.services.delete_product import delete_product
from subgraphs.catalog.services.generate_variants import add_generated_variants
from subgraphs.catalog.services.set_product_status import set_product_status
from subgraphs.catalog.services.update_product import ProductChanges, update_product

MANAGE_PRODUCTS = requires(HasPermission(Permission.MANAGE_PRODUCTS))


def _amount(money: MoneyInput | None) -> str | None:
    return str(money.amount) if money is not None else None


def _options(options: Sequence[OptionValuesInput]) -> list[OptionValues]:
    return [OptionValues(name=o.name, values=tuple(o.values)) for o in options]


def _attributes(values: Sequence[AttributeValueInput]) -> dict[str, list[str]]:
    return {a.name: list(a.values) for a in values}


def _id(value: strawberry.ID | None) -> str | None:
    return str(value) if value is not None else None


def new_product(input: ProductCreateInput) -> NewProduct:
    return NewProduct(
        name=input.name,
        slug=input.slug,
        description=input.description,
        status=input.status,
        price_amount=str(input.price.amount),
        currency=input.price.currency_code,
        category_id=_id(input.category_id),
        variants=[
            NewVariant(
                sku=v.sku,
                options={o.name: o.value for o in v.options},
                price_amount=_amount(v.price),
                compare_at_amount=_amount(v.compare_at_price),
                weight_grams=v.weight_grams,
            )
            for v in input.variants
        ],
        option_values=_options(input.variant_options),
        sku_prefix=input.sku_prefix,
        compare_at_amount=_amount(input.compare_at_price),
        product_type_id=_id(input.product_type_id),
        attributes=_attributes(input.attributes),
        vendor_id=_id(input.vendor_id),
        seo_title=input.seo_title,
        seo_description=input.seo_description,
    )


def _changes(input: ProductUpdateInput) -> ProductChanges:
    compare_at = input.compare_at_price
    return ProductChanges(
        name=input.name,
        slug=input.slug,
        description=input.description,
        status=input.status,
        price_amount=_amount(input.price),
        currency=input.price.currency_code if input.price is not None else None,
        category_id=_id(input.category_id),
        compare_at_amount=(
            None
            if compare_at is None
            else ("" if compare_at.amount == 0 else str(compare_at.amount))
        ),
        product_type_id=_id(input.product_type_id),
        attributes=_attributes(input.attributes) if input.attributes is not None else None,
        vendor_id=_id(input.vendor_id),
        seo_title=input.seo_title,
        seo_description=input.seo_description,
    )


def _errors(exc: CatalogError) -> list[ProductUserError]:
    return [ProductUserError.from_domain(exc)]


@strawberry.type(name="Mutation")
class CatalogMutation(StructureMutations, ImageMutations, ImageManagementMutations):
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
        try:
            product = await create_product(
                info.context.unit_of_work(),
                data=new_product(input),
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return ProductCreatePayload(product=None, user_errors=_errors(exc))
        return ProductCreatePayload(product=Product.from_model(product), user_errors=[])

    @strawberry.mutation(
        description="Change a product's fields, status, prices or attributes (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_update(
        self,
        info: Info[CatalogContext, None],
        input: ProductUpdateInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ProductUpdatePayload:
        try:
            product = await update_product(
                info.context.unit_of_work(),
                product_id=str(input.id),
                changes=_changes(input),
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return ProductUpdatePayload(product=None, user_errors=_errors(exc))
        return ProductUpdatePayload(product=Product.from_model(product), user_errors=[])

    @strawberry.mutation(
        description="Make a product visible to shoppers (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_publish(
        self,
        info: Info[CatalogContext, None],
        input: ProductIdInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ProductPublishPayload:
        try:
            product = await set_product_status(
                info.context.unit_of_work(),
                product_id=str(input.id),
                status=ProductStatusValue.PUBLISHED,
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return ProductPublishPayload(product=None, user_errors=_errors(exc))
        return ProductPublishPayload(product=Product.from_model(product), user_errors=[])

    @strawberry.mutation(
        description="Take a product back to draft: shoppers no longer see it (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_unpublish(
        self,
        info: Info[CatalogContext, None],
        input: ProductIdInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ProductUnpublishPayload:
        try:
            product = await set_product_status(
                info.context.unit_of_work(),
                product_id=str(input.id),
                status=ProductStatusValue.DRAFT,
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return ProductUnpublishPayload(product=None, user_errors=_errors(exc))
        return ProductUnpublishPayload(product=Product.from_model(product), user_errors=[])

    @strawberry.mutation(
        description="Delete a product with its variants and images (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_delete(
        self,
        info: Info[CatalogContext, None],
        input: ProductIdInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ProductDeletePayload:
        try:
            before = await delete_product(
                info.context.unit_of_work(),
                product_id=str(input.id),
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return ProductDeletePayload(product=None, user_errors=_errors(exc))
        return ProductDeletePayload(
            product=Product.from_model(before) if before else None, user_errors=[]
        )

    @strawberry.mutation(
        description="Add a variant per combination of option values, e.g. size x colour "
        "(MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_variants_generate(
        self,
        info: Info[CatalogContext, None],
        input: ProductVariantsGenerateInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ProductVariantsGeneratePayload:
        try:
            product = await add_generated_variants(
                info.context.unit_of_work(),
                product_id=str(input.product_id),
                sku_prefix=input.sku_prefix,
                options=_options(input.options),
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return ProductVariantsGeneratePayload(product=None, user_errors=_errors(exc))
        return ProductVariantsGeneratePayload(product=Product.from_model(product), user_errors=[])
