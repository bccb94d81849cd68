"""The catalog subgraph: products, variants, categories."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from starlette.requests import Request
from starlette.websockets import WebSocket

from shared.app import SubgraphApp
from shared.bus.base import EventBus
from shared.graphql.context import request_fields
from shared.settings import Settings
from shared.wiring import SubgraphInfra
from subgraphs.catalog.domain.models import messaging, metadata
from subgraphs.catalog.graphql.context import CatalogContext
from subgraphs.catalog.graphql.schema import create_schema
from subgraphs.catalog.uow import CatalogUnitOfWork

NAME = "catalog"


def create_subgraph(settings: Settings, bus: EventBus) -> SubgraphApp:
    infra = SubgraphInfra.build(
        NAME,
        settings,
        bus,
        tables=messaging,
        metadata=metadata,
        migrations=Path(__file__).parent / "migrations",
    )

    uow = partial(infra.unit_of_work, CatalogUnitOfWork)

    async def context(request: Request | WebSocket) -> CatalogContext:
        return CatalogContext(
            **request_fields(request, settings, infra.database), database=infra.database, uow=uow
        )

    return SubgraphApp(schema=create_schema(settings), context_getter=context, infra=infra)
