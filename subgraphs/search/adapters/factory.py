"""The engine the settings ask for."""

from __future__ import annotations

from subgraphs.search.adapters.engine import SearchEngine
from subgraphs.search.adapters.tantivy_engine import TantivyEngine
from subgraphs.search.settings import SearchSettings


def create_engine(settings: SearchSettings) -> SearchEngine:
    if settings.backend == "meilisearch":
        from subgraphs.search.adapters.meilisearch_engine import MeilisearchEngine

        assert settings.meilisearch_url is not None
        return MeilisearchEngine(
            settings.meilisearch_url,
            settings.meilisearch_key,
            index=settings.meilisearch_index,
        )
    return TantivyEngine(settings.index_dir)
