"""Catalog GraphQL types and entities. Resolvers map views; relations go through loaders.

Relation resolvers are plain functions returning ``then(loader.load(key), …)``: a list query primes
the loaders, so on a page of products they answer at once instead of awaiting per item.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from shared.auth import Permission, Principal
from shared.graphql.dataloaders import then
from shared.graphql.types import Money
from shared.money import Money as MoneyValue
from subgraphs.catalog.domain.models import Category as CategoryModel
from subgraphs.catalog.domain.models import CategoryView, ProductView, VariantView
from subgraphs.catalog.domain.models import Product as ProductModel
from subgraphs.catalog.domain.models import ProductStatus as ProductStatusValue
from subgraphs.catalog.graphql.context import CatalogContext
from subgraphs.catalog.graphql.dataloaders import (
    CategoryByIdLoader,
    CategoryChildrenLoader,
    ProductByIdLoader,
    VariantByIdLoader,
    VariantsByProductIdLoader,
)

ProductStatus = strawberry.enum(
    ProductStatusValue, description="Whether shoppers can see a product."
)


def can_see(principal: Principal, product: ProductView) -> bool:
    """Shoppers see published products; staff who manage products see drafts too."""
    return product.status == ProductStatusValue.PUBLISHED or principal.has(
        Permission.MANAGE_PRODUCTS
    )


@strawberry.type(description="One option a variant was chosen by, e.g. size = M.")
class SelectedOption:
    name: str
    value: str


@strawberry.federation.type(keys=["id"], description="A category in the category tree.")
class Category:
    id: strawberry.ID
    name: str
    slug: str
    parent_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: CategoryModel | CategoryView) -> Category:
        return cls(
            id=strawberry.ID(model.id), name=model.name, slug=model.slug, parent_id=model.parent_id
        )

    @classmethod
    def from_optional(cls, model: CategoryView | None) -> Category | None:
        return cls.from_model(model) if model is not None else None

    @strawberry.field(description="The parent category; null for a root.")
    def parent(self, info: Info[CatalogContext, None]) -> Category | None:
        if self.parent_id is None:
            return None
        loaded = info.context.loaders.get(CategoryByIdLoader).load(self.parent_id)
        return then(loaded, Category.from_optional)

    @strawberry.field(description="Direct subcategories, in display order.")
    def children(self, info: Info[CatalogContext, None]) -> list[Category]:
        loaded = info.context.loaders.get(CategoryChildrenLoader).load(str(self.id))
        return then(loaded, lambda models: [Category.from_model(m) for m in models])

    @classmethod
    async def resolve_reference(
        cls, info: Info[CatalogContext, None], id: strawberry.ID
    ) -> Category | None:
        model = await info.context.loaders.get(CategoryByIdLoader).load(str(id))
        return cls.from_model(model) if model else None


@strawberry.federation.type(keys=["id"], description="A sellable version of a product (a SKU).")
class ProductVariant:
    id: strawberry.ID
    sku: str = strawberry.field(description="Stock keeping unit, unique across the catalog.")
    name: str
    price: Money = strawberry.field(description="The variant's price, or the product's.")
    product_id: strawberry.Private[str]
    view: strawberry.Private[VariantView]

    @classmethod
    def from_model(
        cls, model: VariantView, product: ProductView, product_price: Money | None = None
    ) -> ProductVariant:
        """``product_price``: the product's price, already mapped, shared by variants without
        a price of their own (most of them). Options are mapped only when selected."""
        if model.price_amount is not None:
            price = Money.from_value(MoneyValue.of(model.price_amount, product.currency))
        else:
            price = product_price or Money.from_value(product.price)
        return cls(
            id=strawberry.ID(model.id),
            sku=model.sku,
            name=model.name,
            price=price,
            product_id=model.product_id,
            view=model,
        )

    @strawberry.field(description="The options this variant was chosen by, e.g. size = M.")
    def options(self) -> list[SelectedOption]:
        return [SelectedOption(name=k, value=str(v)) for k, v in self.view.options.items()]

    @strawberry.field(description="The product this variant belongs to.")
    def product(self, info: Info[CatalogContext, None]) -> Product | None:
        loaded = info.context.loaders.get(ProductByIdLoader).load(self.product_id)
        return then(loaded, lambda model: Product.from_model(model) if model else None)

    @classmethod
    async def resolve_reference(
        cls, info: Info[CatalogContext, None], id: strawberry.ID
    ) -> ProductVariant | None:
        variant = await info.context.loaders.get(VariantByIdLoader).load(str(id))
        if variant is None:
            return None
        product = await info.context.loaders.get(ProductByIdLoader).load(variant.product_id)
        if product is None or not can_see(info.context.principal, product):
            return None
        return cls.from_model(variant, product)


@strawberry.federation.type(keys=["id"], description="Something the shop sells.")
class Product:
    id: strawberry.ID
    slug: str = strawberry.field(description="URL-safe unique name, for storefront links.")
    name: str
    description: str
    status: ProductStatus  # type: ignore[valid-type]
    price: Money = strawberry.field(description="Base price; variants may override it.")
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[ProductView]

    @classmethod
    def from_model(cls, model: ProductModel | ProductView) -> Product:
        if isinstance(model, ProductModel):
            model = ProductView.of(model)
        return cls(
            id=strawberry.ID(model.id),
            slug=model.slug,
            name=model.name,
            description=model.description,
            status=model.status,
            price=Money.from_value(model.price),
            created_at=model.created_at,
            updated_at=model.updated_at,
            model=model,
        )

    @strawberry.field(description="Variants in display order.")
    def variants(self, info: Info[CatalogContext, None]) -> list[ProductVariant]:
        loaded = info.context.loaders.get(VariantsByProductIdLoader).load(self.model.id)
        return then(
            loaded,
            lambda models: [ProductVariant.from_model(m, self.model, self.price) for m in models],
        )

    @strawberry.field(description="The category the product is filed under.")
    def category(self, info: Info[CatalogContext, None]) -> Category | None:
        if self.model.category_id is None:
            return None
        loaded = info.context.loaders.get(CategoryByIdLoader).load(self.model.category_id)
        return then(loaded, Category.from_optional)

    @classmethod
    async def resolve_reference(
        cls, info: Info[CatalogContext, None], id: strawberry.ID, **_: Any
    ) -> Product | None:
        model = await info.context.loaders.get(ProductByIdLoader).load(str(id))
        if model is None or not can_see(info.context.principal, model):
            return None
        return cls.from_model(model)
