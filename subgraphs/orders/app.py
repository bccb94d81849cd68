"""The orders subgraph: event-sourced orders, fulfillment, returns; its part of the saga."""

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
from subgraphs.orders.adapters.carrier import SimulatedCarrier
from subgraphs.orders.domain.models import messaging, metadata
from subgraphs.orders.events.handlers import HANDLERS
from subgraphs.orders.graphql.context import OrdersContext
from subgraphs.orders.graphql.schema import create_schema
from subgraphs.orders.uow import OrdersUnitOfWork

NAME = "orders"


def create_subgraph(settings: Settings, bus: EventBus) -> SubgraphApp:
    infra = SubgraphInfra.build(
        NAME,
        settings,
        bus,
        tables=messaging,
        metadata=metadata,
        migrations=Path(__file__).parent / "migrations",
    )
    uow = partial(infra.unit_of_work, OrdersUnitOfWork)
    infra.consume(HANDLERS, uow)
    carrier = SimulatedCarrier()

    async def context(request: Request | WebSocket) -> OrdersContext:
        return OrdersContext(
            **request_fields(request, settings, infra.database),
            database=infra.database,
            uow=uow,
            bus=bus,
            carrier=carrier,
        )

    return SubgraphApp(schema=create_schema(settings), context_getter=context, infra=infra)
