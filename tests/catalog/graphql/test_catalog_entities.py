"""``_entities`` of the catalog in process: Product, ProductVariant and Category resolved from
several representations in one request, unknown ids as null, drafts hidden from shoppers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shared.app import SubgraphApp
from shared.auth import Principal
from subgraphs.catalog.domain.models import Product, ProductStatus, ProductVariant
from tests.catalog.support import CatalogUow, Tree, make_product
from tests.graphql_client import STAFF, SubgraphClient

ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Product { id name status category { slug } }
    ... on ProductVariant { id sku price { amount } product { name } }
    ... on Category { id name parent { name } }
  }
}
"""


def product_ref(product_id: str) -> dict[str, str]:
    return {"__typename": "Product", "id": product_id}


def variant_ref(variant_id: str) -> dict[str, str]:
    return {"__typename": "ProductVariant", "id": variant_id}


def category_ref(category_id: str) -> dict[str, str]:
    return {"__typename": "Category", "id": category_id}


async def variant_ids(catalog: SubgraphApp, product: Product) -> list[str]:
    async with catalog.infra.database.session() as session:
        statement = (
            select(ProductVariant.id)
            .where(ProductVariant.product_id == product.id)
            .order_by(ProductVariant.position)
        )
        return list((await session.execute(statement)).scalars())


async def entities(
    client: SubgraphClient,
    representations: list[dict[str, str]],
    principal: Principal | None = None,
) -> list[dict[str, Any] | None]:
    result = await client.execute(
        ENTITIES, {"representations": representations}, principal=principal
    )
    assert "errors" not in result, result
    found: list[dict[str, Any] | None] = result["data"]["_entities"]
    return found


async def test_mixed_representations_resolve_in_order_and_unknown_ids_are_null(
    catalog: SubgraphApp, catalog_uow: CatalogUow, client: SubgraphClient, tree: Tree
) -> None:
    shirt = await make_product(
        catalog_uow, "Oxford Shirt", price="40.00", category=tree.shirts, skus=["OX-M", "OX-L"]
    )
    mug = await make_product(catalog_uow, "Mug", category=tree.home)
    medium, large = await variant_ids(catalog, shirt)

    found = await entities(
        client,
        [
            product_ref(shirt.id),
            variant_ref(large),
            category_ref(tree.polos.id),
            product_ref("no-such-product"),
            product_ref(mug.id),
            variant_ref("no-such-variant"),
            category_ref("no-such-category"),
            variant_ref(medium),
        ],
    )

    assert found == [
        {
            "__typename": "Product",
            "id": shirt.id,
            "name": "Oxford Shirt",
            "status": "PUBLISHED",
            "category": {"slug": "shirts"},
        },
        {
            "__typename": "ProductVariant",
            "id": large,
            "sku": "OX-L",
            "price": {"amount": "40.00"},
            "product": {"name": "Oxford Shirt"},
        },
        {
            "__typename": "Category",
            "id": tree.polos.id,
            "name": "Polos",
            "parent": {"name": "Shirts"},
        },
        None,
        {
            "__typename": "Product",
            "id": mug.id,
            "name": "Mug",
            "status": "PUBLISHED",
            "category": {"slug": "home"},
        },
        None,
        None,
        {
            "__typename": "ProductVariant",
            "id": medium,
            "sku": "OX-M",
            "price": {"amount": "40.00"},
            "product": {"name": "Oxford Shirt"},
        },
    ]


async def test_the_same_product_asked_twice_resolves_twice(
    catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    mug = await make_product(catalog_uow, "Mug")

    found = await entities(client, [product_ref(mug.id), product_ref(mug.id)])

    assert [entity and entity["id"] for entity in found] == [mug.id, mug.id]


async def test_a_draft_and_its_variants_are_null_for_shoppers_and_resolved_for_staff(
    catalog: SubgraphApp, catalog_uow: CatalogUow, client: SubgraphClient
) -> None:
    draft = await make_product(
        catalog_uow, "Secret Sneaker", status=ProductStatus.DRAFT, skus=["SEC-42"]
    )
    (variant,) = await variant_ids(catalog, draft)
    representations = [product_ref(draft.id), variant_ref(variant)]

    assert await entities(client, representations) == [None, None]
    staff_view = await entities(client, representations, principal=STAFF)
    assert [entity and entity["__typename"] for entity in staff_view] == [
        "Product",
        "ProductVariant",
    ]
    assert staff_view[0] is not None
    assert staff_view[0]["status"] == "DRAFT"
