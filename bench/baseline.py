"""The baseline: a bare Strawberry app with the same caches and limits, no I/O.

Answers ``products(first: 20)`` with the shape of the catalog's from objects built at start,
so the difference to the catalog subgraph is the cost of the database and the loaders.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import strawberry
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route
from starlette.websockets import WebSocket

from shared.app import SubgraphGraphQL
from shared.graphql.types import Connection, Edge, Money, PageInfo
from shared.settings import Settings


@strawberry.type
class Category:
    id: strawberry.ID
    name: str


@strawberry.type
class Variant:
    id: strawberry.ID
    sku: str
    price: Money


@strawberry.type
class Product:
    id: strawberry.ID
    slug: str
    name: str
    description: str
    price: Money
    created_at: datetime
    category: Category
    variants: list[Variant]


def _products(count: int) -> list[Product]:
    category = Category(id=strawberry.ID("c1"), name="Kitchen")
    return [
        Product(
            id=strawberry.ID(f"p{i}"),
            slug=f"product-{i}",
            name=f"Product {i}",
            description="A product.",
            price=Money(amount=Decimal("19.90"), currency_code="EUR"),
            created_at=datetime.now(UTC),
            category=category,
            variants=[
                Variant(
                    id=strawberry.ID(f"v{i}-{j}"),
                    sku=f"SKU-{i}-{j}",
                    price=Money(amount=Decimal("19.90"), currency_code="EUR"),
                )
                for j in range(6)
            ],
        )
        for i in range(count)
    ]


PRODUCTS = _products(100)


@strawberry.type
class Query:
    @strawberry.field
    def products(self, first: int = 20, after: str | None = None) -> Connection[Product]:
        items = PRODUCTS[:first]
        return Connection(
            edges=[Edge(node=p, cursor=str(p.id)) for p in items],
            page_info=PageInfo(
                has_next_page=True,
                has_previous_page=False,
                start_cursor=str(items[0].id),
                end_cursor=str(items[-1].id),
            ),
            total_count=len(PRODUCTS),
        )


def create_app() -> Starlette:
    from shared.graphql.schema import build_schema

    schema = build_schema(settings=Settings(env="test"), query=Query)

    async def context(request: Request | WebSocket) -> dict[str, Any]:
        return {"request": request}

    view = SubgraphGraphQL(schema, context)
    return Starlette(routes=[Route("/graphql", view, methods=["POST"])])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(), host="127.0.0.1", port=args.port, log_level="warning")
