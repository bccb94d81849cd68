"""The engine the settings ask for."""

from __future__ import annotations

from shared.db import Database
from subgraphs.search.adapters.engine import SearchEngine
from subgraphs.search.adapters.tantivy_engine import TantivyEngine
from subgraphs.search.settings import SearchSettings


def create_engine(settings: SearchSettings, database: Database) -> SearchEngine:
    if settings.backend == "meilisearch":
        from subgraphs.search.adapters.meilisearch_engine import MeilisearchEngine

        assert settings.meilisearch_url is not None
        return MeilisearchEngine(
            settings.meilisearch_url,
            settings.meilisearch_key,
            index=settings.meilisearch_index,
        )
    if settings.backend == "postgres":
        from subgraphs.search.adapters.postgres_engine import PostgresEngine

        return PostgresEngine(database.engine)
    return TantivyEngine(settings.index_dir)
