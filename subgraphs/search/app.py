"""The search subgraph: the CQRS read model of published products, fed by catalog events."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from starlette.requests import Request
from starlette.websockets import WebSocket

from shared.app import SubgraphApp
from shared.bus.base import EventBus
from shared.graphql.context import request_fields
from shared.settings import Settings
from shared.wiring import SubgraphInfra
from subgraphs.search.adapters.engine import SearchEngine
from subgraphs.search.adapters.factory import create_engine
from subgraphs.search.domain.models import messaging, metadata
from subgraphs.search.events.handlers import HANDLERS
from subgraphs.search.graphql.context import SearchContext
from subgraphs.search.graphql.schema import create_schema
from subgraphs.search.services.category_labels import CategoryLabels
from subgraphs.search.services.indexer import Indexer
from subgraphs.search.services.reindex import index_is_stale, reindex
from subgraphs.search.settings import load_search_settings
from subgraphs.search.uow import SearchUnitOfWork

NAME = "search"
log = logging.getLogger(__name__)


@dataclass
class SearchSubgraphApp(SubgraphApp):
    """The subgraph with its engine and indexer (commands and tests drive them directly)."""

    engine: SearchEngine | None = None
    indexer: Indexer | None = None
    reader: Callable[[], SearchUnitOfWork] | None = None


def create_subgraph(settings: Settings, bus: EventBus) -> SearchSubgraphApp:
    search_settings = load_search_settings(settings)
    infra = SubgraphInfra.build(
        NAME,
        settings,
        bus,
        tables=messaging,
        metadata=metadata,
        migrations=Path(__file__).parent / "migrations",
    )
    engine = create_engine(search_settings, infra.database)
    reader = partial(infra.unit_of_work, SearchUnitOfWork)
    indexer = Indexer(engine, reader, interval=search_settings.commit_interval)

    def consumer_uow() -> SearchUnitOfWork:
        return SearchUnitOfWork(
            infra.database,
            infra.tables,
            source=NAME,
            on_commit=infra.relay.wake,
            reproject=indexer.mark,
        )

    infra.consume(HANDLERS, consumer_uow)
    labels = CategoryLabels(reader)

    async def context(request: Request | WebSocket) -> SearchContext:
        return SearchContext(
            **request_fields(request, settings, infra.database), engine=engine, labels=labels
        )

    async def start_indexing() -> None:
        if await index_is_stale(reader, engine):
            log.info("search index out of step with search_documents: rebuilding")
            await reindex(reader, engine)
        await indexer.start()

    async def stop_indexing() -> None:
        await indexer.stop()
        await engine.close()

    return SearchSubgraphApp(
        schema=create_schema(settings),
        context_getter=context,
        infra=infra,
        on_start=[start_indexing],
        on_stop=[stop_indexing],
        engine=engine,
        indexer=indexer,
        reader=reader,
    )
