"""The one interface every search backend implements.

Writes (``upsert_many``, ``delete_many``, ``clear``) may be buffered until ``commit``; a search
sees what was committed. Each engine orders hits by the request's sort, then by product id (or a
stable hash of it), so a page never depends on how the engine happens to store documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from subgraphs.search.domain.document import SearchDocument
from subgraphs.search.domain.query import SearchRequest, SearchResult, Suggestion


class SearchEngine(Protocol):
    name: str

    async def upsert_many(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents (by product id)."""

    async def delete_many(self, product_ids: Sequence[str]) -> None:
        """Remove documents; unknown ids are ignored."""

    async def commit(self) -> None:
        """Make every write so far visible to searches."""

    async def search(self, request: SearchRequest) -> SearchResult:
        """One page of hits, the total and (if asked) the disjunctive facet counts."""

    async def suggest(self, prefix: str, limit: int) -> list[Suggestion]:
        """Completions of ``prefix``: product names first, then category and brand terms."""

    async def clear(self) -> None:
        """Remove every document (committed at once)."""

    async def count(self) -> int:
        """Number of committed documents."""

    async def close(self) -> None:
        """Release files and connections."""
