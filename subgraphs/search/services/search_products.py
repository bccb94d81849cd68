"""Use case: search published products, and complete what a shopper types."""

from __future__ import annotations

from subgraphs.search.adapters.engine import SearchEngine
from subgraphs.search.domain.query import SearchRequest, SearchResult, Suggestion

MAX_SUGGESTIONS = 20
MAX_PREFIX = 100


async def search_products(engine: SearchEngine, request: SearchRequest) -> SearchResult:
    """``request`` was checked by ``build_request``; the engine does the rest."""
    return await engine.search(request)


async def suggest(engine: SearchEngine, prefix: str, first: int) -> list[Suggestion]:
    """At most ``first`` (≤ 20) completions; a blank or over-long prefix completes nothing."""
    prefix = prefix.strip()
    if not prefix or len(prefix) > MAX_PREFIX:
        return []
    return await engine.suggest(prefix, max(0, min(first, MAX_SUGGESTIONS)))
