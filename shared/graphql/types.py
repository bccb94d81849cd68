"""GraphQL types every subgraph shares: Money, PageInfo, connections, the UserError interface.

Value types defined in several subgraphs must be identical and ``@shareable``; keeping them here
guarantees the first and declares the second.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Generic, TypeVar

import strawberry

from shared.money import Money as MoneyValue
from shared.pagination import Page

T = TypeVar("T")
M = TypeVar("M")


@strawberry.federation.type(shareable=True, description="An amount of money in a currency.")
class Money:
    amount: Decimal = strawberry.field(description="Decimal amount, serialized as a string.")
    currency_code: str = strawberry.field(description="ISO 4217 currency code, e.g. EUR.")

    @classmethod
    def from_value(cls, value: MoneyValue) -> Money:
        return cls(amount=value.amount, currency_code=value.currency)


@strawberry.federation.type(shareable=True, description="Where a page sits in a connection.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="One node of a connection with its cursor.")
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type(description="A page of a list, Relay style.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description="Number of items in the whole list, when cheap to count."
    )

    @classmethod
    def from_page(
        cls, page: Page[M], node: Callable[[M], T], *, total_count: int | None = None
    ) -> Connection[T]:
        """Map a page of domain objects to a connection of GraphQL nodes."""
        return cls(
            edges=[
                Edge(node=node(item), cursor=cursor)
                for item, cursor in zip(page.items, page.cursors, strict=True)
            ],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            total_count=total_count,
        )


@strawberry.interface(description="A problem with a mutation's input, for the user to fix.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path to the input field the error is about, if any."
    )
    message: str = strawberry.field(description="What went wrong, for humans.")
