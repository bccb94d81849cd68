"""Catalog GraphQL types and entities. Resolvers map views; relations go through loaders.

Relation resolvers are plain functions returning ``then(loader.load(key), …)``: a list query primes
the loaders, so on a page of products they answer at once instead of awaiting per item.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from shared.auth import Permission, Principal
from shared.graphql.dataloaders import then
from shared.graphql.errors import PublicError
from shared.graphql.types import Connection, Money
from shared.money import Money as MoneyValue
from shared.pagination import PageRequest, PaginationError
from subgraphs.catalog.domain.attributes import AttributeKind as AttributeKindValue
from subgraphs.catalog.domain.collections import CollectionKind as CollectionKindValue
from subgraphs.catalog.domain.collections import RuleKind as RuleKindValue
from subgraphs.catalog.domain.models import Category as CategoryModel
from subgraphs.catalog.domain.models import (
    CategoryView,
    CollectionView,
    ProductTypeView,
    ProductView,
    VariantView,
)
from subgraphs.catalog.domain.models import Collection as CollectionModel
from subgraphs.catalog.domain.models import Product as ProductModel
from subgraphs.catalog.domain.models import ProductStatus as ProductStatusValue
from subgraphs.catalog.domain.models import ProductType as ProductTypeModel
from subgraphs.catalog.graphql.context import CatalogContext
from subgraphs.catalog.graphql.dataloaders import (
    CategoryByIdLoader,
    CategoryChildrenLoader,
    CollectionByIdLoader,
    ImagesByProductIdLoader,
    ProductByIdLoader,
    ProductTypeByIdLoader,
    VariantByIdLoader,
    VariantsByProductIdLoader,
)
from subgraphs.catalog.graphql.media_types import ProductImage
from subgraphs.catalog.repository import ProductReader

ProductStatus = strawberry.enum(
    ProductStatusValue, description="Whether shoppers can see a product."
)
AttributeKind = strawberry.enum(AttributeKindValue, description="What values an attribute takes.")
CollectionKind = strawberry.enum(
    CollectionKindValue, description="Manual (ordered by staff) or rule-based."
)
CollectionRuleKind = strawberry.enum(
    RuleKindValue, description="What a collection rule tests (all rules must match)."
)


def _money(amount: Decimal | None, currency: str) -> Money | None:
    return Money.from_value(MoneyValue.of(amount, currency)) if amount is not None else None


@strawberry.type(description="An attribute a product type declares.")
class AttributeDefinition:
    name: str
    kind: AttributeKind  # type: ignore[valid-type]
    choices: list[str] = strawberry.field(description="Allowed values (CHOICE only).")
    required: bool
    multiple: bool = strawberry.field(description="Whether a product may carry several values.")


@strawberry.type(description="A kind of product and the typed attributes its products carry.")
class ProductType:
    id: strawberry.ID
    name: str
    attributes: list[AttributeDefinition]

    @classmethod
    def from_model(cls, model: ProductTypeModel | ProductTypeView) -> ProductType:
        return cls(
            id=strawberry.ID(model.id),
            name=model.name,
            attributes=[
                AttributeDefinition(
                    name=a["name"],
                    kind=AttributeKindValue(a["kind"]),
                    choices=list(a.get("choices") or []),
                    required=bool(a.get("required")),
                    multiple=bool(a.get("multiple")),
                )
                for a in model.attributes
            ],
        )


@strawberry.type(description="A product's values of one attribute, as strings.")
class AttributeValue:
    name: str
    values: list[str]


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
    compare_at_price: Money | None = strawberry.field(
        description="The variant's 'was' price, if on sale."
    )
    weight_grams: int | None = strawberry.field(description="Shipping weight in grams.")
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
            compare_at_price=_money(model.compare_at_amount, product.currency),
            weight_grams=model.weight_grams,
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
    compare_at_price: Money | None = strawberry.field(
        description="The 'was' price shown struck through; above the price when set."
    )
    seo_title: str | None
    seo_description: str | None
    vendor_id: strawberry.ID | None = strawberry.field(
        description="The vendor selling it (marketplace); null for the shop's own products."
    )
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
            compare_at_price=_money(model.compare_at_amount, model.currency),
            seo_title=model.seo_title,
            seo_description=model.seo_description,
            vendor_id=strawberry.ID(model.vendor_id) if model.vendor_id else None,
            model=model,
        )

    @strawberry.field(description="Attribute values, in the product type's order.")
    def attributes(self) -> list[AttributeValue]:
        return [AttributeValue(name=k, values=list(v)) for k, v in self.model.attributes.items()]

    @strawberry.field(description="The product's type, which declares its attributes.")
    def product_type(self, info: Info[CatalogContext, None]) -> ProductType | None:
        if self.model.product_type_id is None:
            return None
        loaded = info.context.loaders.get(ProductTypeByIdLoader).load(self.model.product_type_id)
        return then(loaded, lambda m: ProductType.from_model(m) if m else None)

    @strawberry.field(description="Images in display order; the first is the main one.")
    def images(self, info: Info[CatalogContext, None]) -> list[ProductImage]:
        loaded = info.context.loaders.get(ImagesByProductIdLoader).load(self.model.id)
        return then(loaded, lambda models: [ProductImage.from_model(m) for m in models])

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


@strawberry.type(description="One rule of a rule-based collection.")
class CollectionRule:
    kind: CollectionRuleKind  # type: ignore[valid-type]
    attribute: str | None = strawberry.field(description="ATTRIBUTE_EQUALS: the attribute.")
    value: str | None = strawberry.field(
        description="ATTRIBUTE_EQUALS: the value; PRICE_BELOW: the amount."
    )
    category_id: strawberry.ID | None = strawberry.field(
        description="CATEGORY: the category (its subcategories included)."
    )


@strawberry.federation.type(keys=["id"], description="A curated or rule-based set of products.")
class Collection:
    id: strawberry.ID
    name: str
    slug: str
    description: str
    kind: CollectionKind  # type: ignore[valid-type]
    rules: list[CollectionRule]

    @classmethod
    def from_model(cls, model: CollectionModel | CollectionView) -> Collection:
        return cls(
            id=strawberry.ID(model.id),
            name=model.name,
            slug=model.slug,
            description=model.description,
            kind=CollectionKindValue(model.kind),
            rules=[
                CollectionRule(
                    kind=RuleKindValue(r["kind"]),
                    attribute=r.get("attribute"),
                    value=r.get("value"),
                    category_id=strawberry.ID(r["category_id"]) if r.get("category_id") else None,
                )
                for r in model.rules
            ],
        )

    @strawberry.field(description="Products in the collection's order (drafts for staff only).")
    async def products(
        self, info: Info[CatalogContext, None], first: int | None = 20, after: str | None = None
    ) -> Connection[Product]:
        try:
            request = PageRequest.parse(first, after)
        except PaginationError as exc:
            raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
        statuses = frozenset({ProductStatusValue.PUBLISHED})
        if info.context.principal.has(Permission.MANAGE_PRODUCTS):
            statuses = frozenset(ProductStatusValue)
        collection_id = str(self.id)
        try:
            page = await info.context.db().read(
                lambda s: ProductReader(s).in_collection(collection_id, statuses, request)
            )
        except PaginationError as exc:
            raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
        info.context.loaders.get(ProductByIdLoader).prime_many({p.id: p for p in page.items})
        return Connection.from_page(page, Product.from_model)

    @classmethod
    async def resolve_reference(
        cls, info: Info[CatalogContext, None], id: strawberry.ID
    ) -> Collection | None:
        model = await info.context.loaders.get(CollectionByIdLoader).load(str(id))
        return cls.from_model(model) if model else None
