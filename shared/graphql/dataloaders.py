"""Per-request DataLoaders: one instance of each loader per request, built on first use.

Resolvers of relations return ``then(loader.load(key), to_type)``: when the key is already in the
loader (primed by the parent's list query, or loaded before), the field resolves at once, without
a coroutine, a task and a gather per item; otherwise it waits for the batch as usual.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from aiodataloader import DataLoader

from shared.db import Database

L = TypeVar("L")
K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")


def then(pending: Awaitable[V], fn: Callable[[V], R]) -> R:
    """``fn`` of what ``pending`` gives: at once if it is a finished future, else once it is.

    For resolvers only. It is typed as the value (so the resolver keeps its GraphQL return type)
    but may return an awaitable of it, which GraphQL execution awaits like an async resolver's.
    """
    if isinstance(pending, asyncio.Future) and pending.done():
        return fn(pending.result())

    async def later() -> R:
        return fn(await pending)

    return cast(R, later())


class Loaders:
    """A per-request registry: ``loaders.get(ProductByIdLoader)`` builds it once, then reuses it.

    ``factory`` builds a loader from its class (usually ``lambda cls: cls(database)``).
    """

    def __init__(self, factory: Callable[[type[Any]], Any]) -> None:
        self._factory = factory
        self._instances: dict[type[Any], Any] = {}

    def get(self, loader_class: type[L]) -> L:
        instance = self._instances.get(loader_class)
        if instance is None:
            instance = self._factory(loader_class)
            self._instances[loader_class] = instance
        return instance  # type: ignore[no-any-return]


class DatabaseLoader(DataLoader[K, V]):
    """A DataLoader that reads through a database; subclasses define ``batch_load_fn``.

    Each batch opens its own short session: loaders never share the request's write transaction.
    """

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database

    def prime_many(self, found: dict[K, V]) -> None:
        for key, value in found.items():
            self.prime(key, value)
