"""The reviews subgraph: reviews, ratings, the live reviewPosted feed."""

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
from subgraphs.reviews.domain.models import messaging, metadata
from subgraphs.reviews.events.handlers import HANDLERS
from subgraphs.reviews.graphql.context import ReviewsContext
from subgraphs.reviews.graphql.schema import create_schema
from subgraphs.reviews.uow import ReviewsUnitOfWork

NAME = "reviews"


def create_subgraph(settings: Settings, bus: EventBus) -> SubgraphApp:
    infra = SubgraphInfra.build(
        NAME,
        settings,
        bus,
        tables=messaging,
        metadata=metadata,
        migrations=Path(__file__).parent / "migrations",
    )
    uow = partial(infra.unit_of_work, ReviewsUnitOfWork)
    infra.consume(HANDLERS, uow)

    async def context(request: Request | WebSocket) -> ReviewsContext:
        return ReviewsContext(
            **request_fields(request, settings, infra.database),
            database=infra.database,
            uow=uow,
            bus=bus,
        )

    return SubgraphApp(schema=create_schema(settings), context_getter=context, infra=infra)
