"""The reviews subgraph: reviews, ratings, the live reviewPosted feed."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from starlette.requests import Request
from starlette.websockets import WebSocket

from shared.app import SubgraphApp
from shared.bus.base import EventBus
from shared.graphql.context import request_fields
from shared.settings import Settings, SettingsError
from shared.wiring import SubgraphInfra
from subgraphs.reviews.domain.models import messaging, metadata
from subgraphs.reviews.events.handlers import HANDLERS
from subgraphs.reviews.graphql.context import ReviewsContext
from subgraphs.reviews.graphql.schema import create_schema
from subgraphs.reviews.uow import ReviewsUnitOfWork

NAME = "reviews"
MODERATION_MODES = ("post", "pre")


def moderation_mode() -> str:
    """``AGORA_REVIEWS_MODERATION``: ``post`` (default: published at once, staff may reject) or
    ``pre`` (held PENDING until approved)."""
    mode = os.environ.get("AGORA_REVIEWS_MODERATION") or "post"
    if mode not in MODERATION_MODES:
        raise SettingsError([f"AGORA_REVIEWS_MODERATION={mode!r} must be post or pre"])
    return mode


def create_subgraph(settings: Settings, bus: EventBus) -> SubgraphApp:
    infra = SubgraphInfra.build(
        NAME,
        settings,
        bus,
        tables=messaging,
        metadata=metadata,
        migrations=Path(__file__).parent / "migrations",
    )
    mode = moderation_mode()
    uow = partial(infra.unit_of_work, ReviewsUnitOfWork)
    infra.consume(HANDLERS, uow)

    async def context(request: Request | WebSocket) -> ReviewsContext:
        return ReviewsContext(
            **request_fields(request, settings, infra.database),
            database=infra.database,
            uow=uow,
            bus=bus,
            moderation=mode,
        )

    return SubgraphApp(schema=create_schema(settings), context_getter=context, infra=infra)
