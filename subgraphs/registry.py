"""The subgraphs this repository holds, by name → module with ``create_subgraph``.

Only the host entry point reads this; subgraphs never import each other.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from shared.app import SubgraphApp
from shared.bus.base import EventBus
from shared.settings import Settings

SUBGRAPHS: dict[str, str] = {
    "accounts": "subgraphs.accounts.app",
    "catalog": "subgraphs.catalog.app",
    "checkout": "subgraphs.checkout.app",
    "inventory": "subgraphs.inventory.app",
    "orders": "subgraphs.orders.app",
    "payments": "subgraphs.payments.app",
    "reviews": "subgraphs.reviews.app",
    "search": "subgraphs.search.app",
}


def names(only: Iterable[str] | None = None) -> list[str]:
    chosen = list(only) if only else list(SUBGRAPHS)
    unknown = [n for n in chosen if n not in SUBGRAPHS]
    if unknown:
        raise SystemExit(
            f"unknown subgraph(s): {', '.join(unknown)}; known: {', '.join(SUBGRAPHS)}"
        )
    return chosen


def factory(name: str) -> Callable[[Settings, EventBus], SubgraphApp]:
    module = importlib.import_module(SUBGRAPHS[name])
    create: Callable[[Settings, EventBus], SubgraphApp] = module.create_subgraph
    return create


def build(
    settings: Settings, bus: EventBus, only: Iterable[str] | None = None
) -> list[SubgraphApp]:
    return [factory(name)(settings, bus) for name in names(only)]
