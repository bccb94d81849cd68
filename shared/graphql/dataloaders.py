"""Per-request DataLoaders: one instance of each loader per request, built on first use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aiodataloader import DataLoader

from shared.db import Database

L = TypeVar("L")
K = TypeVar("K")
V = TypeVar("V")


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
