"""Labels of the category facet: each value (a category id) with the category's name.

Names come from the catalog's product events (``search_category_labels``); a search asks only for
the ids its facet returned, through a small in-process cache (entries live ``ttl`` seconds, so a
renamed category shows its new name soon after the next product event, on every replica).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from subgraphs.search.uow import SearchUnitOfWork


class CategoryLabels:
    def __init__(
        self,
        reader: Callable[[], SearchUnitOfWork],
        *,
        ttl: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._reader = reader
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[str | None, float]] = {}

    async def names(self, category_ids: Sequence[str]) -> dict[str, str]:
        """id → name for the ids whose name is known."""
        now = self._clock()
        missing = [i for i in category_ids if self._cache.get(i, (None, 0.0))[1] <= now]
        if missing:
            async with self._reader() as uow:
                found = await uow.documents.category_labels(missing)
            for category_id in missing:
                self._cache[category_id] = (found.get(category_id), now + self._ttl)
        return {
            i: name
            for i in category_ids
            if (name := self._cache.get(i, (None, 0.0))[0]) is not None
        }
