"""The inventory subgraph: warehouses, stock, reservations (internal API), availability."""

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
from subgraphs.inventory.domain.models import messaging, metadata
from subgraphs.inventory.events.handlers import HANDLERS
from subgraphs.inventory.graphql.context import InventoryContext
from subgraphs.inventory.graphql.schema import create_schema
from subgraphs.inventory.internal import internal_routes
from subgraphs.inventory.services.reservation_batcher import ReservationBatcher
from subgraphs.inventory.settings import load_inventory_settings
from subgraphs.inventory.sweeper import ReservationSweeper
from subgraphs.inventory.uow import InventoryUnitOfWork

NAME = "inventory"


def create_subgraph(settings: Settings, bus: EventBus) -> SubgraphApp:
    inventory_settings = load_inventory_settings()
    infra = SubgraphInfra.build(
        NAME,
        settings,
        bus,
        tables=messaging,
        metadata=metadata,
        migrations=Path(__file__).parent / "migrations",
    )
    uow = partial(infra.unit_of_work, InventoryUnitOfWork)
    infra.consume(HANDLERS, uow)
    sweeper = ReservationSweeper(uow, inventory_settings)
    batcher = ReservationBatcher(uow, inventory_settings)

    async def context(request: Request | WebSocket) -> InventoryContext:
        return InventoryContext(
            **request_fields(request, settings, infra.database),
            database=infra.database,
            uow=uow,
            settings=inventory_settings,
            bus=bus,
        )

    app = SubgraphApp(
        schema=create_schema(settings),
        context_getter=context,
        infra=infra,
        on_start=[sweeper.start],
        on_stop=[sweeper.stop, batcher.close],
        routes=internal_routes(uow, infra.database, inventory_settings, batcher),
    )
    app.asgi.state.sweeper = sweeper  # tests drive it (run_once, clock)
    app.asgi.state.batcher = batcher
    return app
