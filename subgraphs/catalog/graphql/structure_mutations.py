"""Catalog mutations on its structure: product types, categories, collections."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.arguments import IdempotencyKey
from shared.graphql.permissions import HasPermission, requires
from subgraphs.catalog.domain.attributes import AttributeKind as AttributeKindValue
from subgraphs.catalog.domain.attributes import AttributeSpec
from subgraphs.catalog.domain.collections import CollectionRule as RuleValue
from subgraphs.catalog.domain.collections import RuleKind
from subgraphs.catalog.domain.errors import CatalogError
from subgraphs.catalog.graphql.context import CatalogContext
from subgraphs.catalog.graphql.inputs import (
    CategoryCreateInput,
    CategoryMoveInput,
    CategoryUpdateInput,
    CollectionCreateInput,
    CollectionSetProductsInput,
    ProductTypeCreateInput,
)
from subgraphs.catalog.graphql.payloads import (
    CategoryCreatePayload,
    CategoryMovePayload,
    CategoryUpdatePayload,
    CollectionCreatePayload,
    CollectionSetProductsPayload,
    ProductTypeCreatePayload,
    ProductUserError,
)
from subgraphs.catalog.graphql.types import Category, Collection, ProductType
from subgraphs.catalog.services.create_category import create_category
from subgraphs.catalog.services.create_collection import create_collection
from subgraphs.catalog.services.create_product_type import create_product_type
from subgraphs.catalog.services.set_collection_products import set_collection_products
from subgraphs.catalog.services.update_category import ROOT, CategoryChanges, update_category

MANAGE_PRODUCTS = requires(HasPermission(Permission.MANAGE_PRODUCTS))


def _errors(exc: CatalogError) -> list[ProductUserError]:
    return [ProductUserError.from_domain(exc)]


@strawberry.type
class StructureMutations:
    @strawberry.mutation(
        description="Define a product type and its typed attributes (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def product_type_create(
        self,
        info: Info[CatalogContext, None],
        input: ProductTypeCreateInput,
        idempotency_key: IdempotencyKey = None,
    ) -> ProductTypeCreatePayload:
        try:
            attributes = [
                AttributeSpec(
                    name=a.name,
                    kind=AttributeKindValue(a.kind),
                    choices=tuple(a.choices),
                    required=a.required,
                    multiple=a.multiple,
                )
                for a in input.attributes
            ]
            created = await create_product_type(
                info.context.unit_of_work(),
                name=input.name,
                attributes=attributes,
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return ProductTypeCreatePayload(product_type=None, user_errors=_errors(exc))
        return ProductTypeCreatePayload(
            product_type=ProductType.from_model(created), user_errors=[]
        )

    @strawberry.mutation(
        description="Add a category to the tree (MANAGE_PRODUCTS).", extensions=MANAGE_PRODUCTS
    )
    async def category_create(
        self,
        info: Info[CatalogContext, None],
        input: CategoryCreateInput,
        idempotency_key: IdempotencyKey = None,
    ) -> CategoryCreatePayload:
        try:
            category = await create_category(
                info.context.unit_of_work(),
                name=input.name,
                slug=input.slug,
                parent_id=str(input.parent_id) if input.parent_id is not None else None,
                position=input.position,
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return CategoryCreatePayload(category=None, user_errors=_errors(exc))
        return CategoryCreatePayload(category=Category.from_model(category), user_errors=[])

    @strawberry.mutation(
        description="Rename a category or change its slug or position (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def category_update(
        self,
        info: Info[CatalogContext, None],
        input: CategoryUpdateInput,
        idempotency_key: IdempotencyKey = None,
    ) -> CategoryUpdatePayload:
        try:
            category = await update_category(
                info.context.unit_of_work(),
                category_id=str(input.id),
                changes=CategoryChanges(name=input.name, slug=input.slug, position=input.position),
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return CategoryUpdatePayload(category=None, user_errors=_errors(exc))
        return CategoryUpdatePayload(category=Category.from_model(category), user_errors=[])

    @strawberry.mutation(
        description="Move a category under another one or to the top; never under itself "
        "(CATEGORY_CYCLE) (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def category_move(
        self,
        info: Info[CatalogContext, None],
        input: CategoryMoveInput,
        idempotency_key: IdempotencyKey = None,
    ) -> CategoryMovePayload:
        try:
            category = await update_category(
                info.context.unit_of_work(),
                category_id=str(input.id),
                changes=CategoryChanges(
                    parent_id=str(input.parent_id) if input.parent_id is not None else ROOT,
                    position=input.position,
                ),
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return CategoryMovePayload(category=None, user_errors=_errors(exc))
        return CategoryMovePayload(category=Category.from_model(category), user_errors=[])

    @strawberry.mutation(
        description="Create a manual or rule-based collection (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def collection_create(
        self,
        info: Info[CatalogContext, None],
        input: CollectionCreateInput,
        idempotency_key: IdempotencyKey = None,
    ) -> CollectionCreatePayload:
        try:
            collection = await create_collection(
                info.context.unit_of_work(),
                name=input.name,
                slug=input.slug,
                description=input.description,
                product_ids=[str(p) for p in input.product_ids],
                rules=[
                    RuleValue(
                        kind=RuleKind(r.kind),
                        attribute=r.attribute,
                        value=r.value,
                        category_id=str(r.category_id) if r.category_id is not None else None,
                    )
                    for r in input.rules
                ],
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return CollectionCreatePayload(collection=None, user_errors=_errors(exc))
        return CollectionCreatePayload(collection=Collection.from_model(collection), user_errors=[])

    @strawberry.mutation(
        description="Set a manual collection's products, in order (MANAGE_PRODUCTS).",
        extensions=MANAGE_PRODUCTS,
    )
    async def collection_set_products(
        self,
        info: Info[CatalogContext, None],
        input: CollectionSetProductsInput,
        idempotency_key: IdempotencyKey = None,
    ) -> CollectionSetProductsPayload:
        try:
            collection = await set_collection_products(
                info.context.unit_of_work(),
                collection_id=str(input.id),
                product_ids=[str(p) for p in input.product_ids],
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            )
        except CatalogError as exc:
            return CollectionSetProductsPayload(collection=None, user_errors=_errors(exc))
        return CollectionSetProductsPayload(
            collection=Collection.from_model(collection), user_errors=[]
        )
