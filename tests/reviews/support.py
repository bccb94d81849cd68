"""Helpers for the reviews tests: products published by the catalog and learnt through its
events, reviews written through the use case, the relay drained, and the rating read back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.app import SubgraphApp
from subgraphs.catalog.domain.models import Product, ProductStatus
from subgraphs.reviews.domain.models import Review
from subgraphs.reviews.services.create_review import create_review
from subgraphs.reviews.uow import ReviewsUnitOfWork
from tests.catalog.support import CatalogUow, make_product
from tests.graphql_client import SubgraphClient

ReviewsUow = Callable[[], ReviewsUnitOfWork]

RATING = """
query Rating($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Product { rating { average count } }
  }
}
"""


async def drain(*apps: SubgraphApp) -> int:
    """Run the relays until every outbox is published; return how many events moved."""
    moved = 0
    while True:
        batch = sum([await app.infra.relay.run_once() for app in apps])
        if batch == 0:
            return moved
        moved += batch


async def published_product(
    catalog: SubgraphApp,
    catalog_uow: CatalogUow,
    name: str,
    *,
    status: ProductStatus = ProductStatus.PUBLISHED,
) -> Product:
    """A product created in the catalog, its ProductUpserted relayed to the reviews subgraph."""
    product = await make_product(catalog_uow, name, status=status)
    await drain(catalog)
    return product


async def write_review(
    reviews_uow: ReviewsUow,
    product_id: str,
    *,
    rating: int = 5,
    title: str = "Great",
    body: str = "",
    author_name: str = "Ada",
) -> Review:
    return await create_review(
        reviews_uow,
        product_id=product_id,
        rating=rating,
        title=title,
        body=body,
        author_name=author_name,
    )


async def rating_of(client: SubgraphClient, product_id: str) -> dict[str, Any]:
    """``Product.rating`` as the router would ask for it (through ``_entities``)."""
    result = await client.execute(
        RATING, {"representations": [{"__typename": "Product", "id": product_id}]}
    )
    assert "errors" not in result, result
    rating: dict[str, Any] = result["data"]["_entities"][0]["rating"]
    return rating
