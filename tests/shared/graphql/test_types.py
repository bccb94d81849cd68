"""Shared GraphQL types: connections from pages, PageInfo, Money."""

from __future__ import annotations

from decimal import Decimal

import pytest
import strawberry

from shared.graphql.schema import build_schema
from shared.graphql.types import Connection, Edge, Money, PageInfo
from shared.money import Money as MoneyValue
from shared.pagination import Page, encode_cursor
from shared.settings import load_settings


@strawberry.type
class Item:
    label: str


ITEMS = Page(
    items=[("a", 1), ("b", 2), ("c", 3)],
    cursors=[encode_cursor(["a"]), encode_cursor(["b"]), encode_cursor(["c"])],
    has_next_page=True,
    has_previous_page=False,
)


def _item(row: tuple[str, int]) -> Item:
    return Item(label=f"{row[0]}{row[1]}")


def test_from_page_maps_each_item_with_its_cursor() -> None:
    connection = Connection.from_page(ITEMS, _item, total_count=42)

    assert connection.edges == [
        Edge(node=Item(label="a1"), cursor=ITEMS.cursors[0]),
        Edge(node=Item(label="b2"), cursor=ITEMS.cursors[1]),
        Edge(node=Item(label="c3"), cursor=ITEMS.cursors[2]),
    ]
    assert connection.page_info == PageInfo(
        has_next_page=True,
        has_previous_page=False,
        start_cursor=ITEMS.cursors[0],
        end_cursor=ITEMS.cursors[-1],
    )
    assert connection.total_count == 42


def test_an_empty_page_has_no_start_or_end_cursor() -> None:
    empty: Page[tuple[str, int]] = Page(
        items=[], cursors=[], has_next_page=False, has_previous_page=True
    )

    connection = Connection.from_page(empty, _item)

    assert connection.edges == []
    assert connection.page_info == PageInfo(
        has_next_page=False, has_previous_page=True, start_cursor=None, end_cursor=None
    )
    assert connection.total_count is None


def test_items_and_cursors_must_pair_up() -> None:
    lopsided = Page(items=[("a", 1)], cursors=[], has_next_page=False, has_previous_page=False)

    with pytest.raises(ValueError, match="zip"):
        Connection.from_page(lopsided, _item)


def test_money_from_value() -> None:
    assert Money.from_value(MoneyValue.of("9.5", "EUR")) == Money(
        amount=Decimal("9.50"), currency_code="EUR"
    )


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> Connection[Item]:
        return Connection.from_page(ITEMS, _item, total_count=3)

    @strawberry.field
    def price(self) -> Money:
        return Money.from_value(MoneyValue.of("1500", "JPY"))


ITEMS_QUERY = """
{
  items {
    totalCount
    edges { cursor node { label } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
  price { amount currencyCode }
}
"""


async def test_connections_and_money_serialize_relay_style() -> None:
    schema = build_schema(settings=load_settings({}), query=Query)

    result = await schema.execute(ITEMS_QUERY)

    assert result.errors is None
    assert result.data == {
        "items": {
            "totalCount": 3,
            "edges": [
                {"cursor": ITEMS.cursors[0], "node": {"label": "a1"}},
                {"cursor": ITEMS.cursors[1], "node": {"label": "b2"}},
                {"cursor": ITEMS.cursors[2], "node": {"label": "c3"}},
            ],
            "pageInfo": {
                "hasNextPage": True,
                "hasPreviousPage": False,
                "startCursor": ITEMS.cursors[0],
                "endCursor": ITEMS.cursors[2],
            },
        },
        "price": {"amount": "1500", "currencyCode": "JPY"},
    }
    sdl = schema.as_str()
    assert "type ItemConnection" in sdl
    assert "type PageInfo @shareable" in sdl
    assert "type Money @shareable" in sdl
