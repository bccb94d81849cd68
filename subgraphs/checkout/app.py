"""The checkout subgraph: carts, shipping, tax, promotions, gift cards, checkout completion."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import httpx
from starlette.requests import Request
from starlette.websockets import WebSocket

from shared.app import SubgraphApp
from shared.auth import Principal
from shared.bus.base import EventBus
from shared.graphql.context import request_fields
from shared.graphql.dataloaders import Loaders
from shared.service_client import ServiceClient
from shared.settings import Settings
from shared.wiring import SubgraphInfra
from subgraphs.checkout.adapters.inventory import HttpInventory, InventoryGateway
from subgraphs.checkout.domain.models import messaging, metadata
from subgraphs.checkout.events.handlers import HANDLERS
from subgraphs.checkout.graphql.context import CheckoutContext
from subgraphs.checkout.graphql.dataloaders import AvailabilityLoader
from subgraphs.checkout.graphql.schema import create_schema
from subgraphs.checkout.settings import CheckoutSettings
from subgraphs.checkout.sweeper import CartSweeper
from subgraphs.checkout.uow import CheckoutUnitOfWork

NAME = "checkout"


def create_subgraph(
    settings: Settings,
    bus: EventBus,
    *,
    inventory: InventoryGateway | None = None,
    inventory_transport: httpx.AsyncBaseTransport | None = None,
) -> SubgraphApp:
    """``inventory`` replaces the HTTP gateway; ``inventory_transport`` keeps the HTTP client
    but replaces the network (tests: an ASGI app built from the inventory contract)."""
    local = CheckoutSettings.load(settings)
    infra = SubgraphInfra.build(
        NAME,
        settings,
        bus,
        tables=messaging,
        metadata=metadata,
        migrations=Path(__file__).parent / "migrations",
    )
    uow = partial(infra.unit_of_work, CheckoutUnitOfWork)
    infra.consume(HANDLERS, uow)
    client = ServiceClient(
        service="inventory",
        base_url=local.inventory_url,
        secret=settings.router_secret,
        caller=Principal.service(NAME),
        timeout=local.inventory_timeout,
        transport=inventory_transport,
    )
    stock: InventoryGateway = inventory if inventory is not None else HttpInventory(client)
    sweeper = CartSweeper(uow, interval=local.cart_sweep_interval)

    def loader(cls: type) -> object:
        if cls is AvailabilityLoader:
            return AvailabilityLoader(stock)
        return cls(infra.database)

    async def context(request: Request | WebSocket) -> CheckoutContext:
        fields = request_fields(request, settings, infra.database)
        fields["loaders"] = Loaders(loader)
        return CheckoutContext(
            **fields,
            database=infra.database,
            uow=uow,
            inventory=stock,
            reservation_ttl=local.reservation_ttl,
            completion_timeout=local.completion_timeout,
        )

    app = SubgraphApp(
        schema=create_schema(settings),
        context_getter=context,
        infra=infra,
        on_start=[sweeper.start],
        on_stop=[client.aclose, sweeper.stop],  # run in reverse: the sweeper stops first
    )
    app.asgi.state.cart_sweeper = sweeper  # tests drive it (run_once, clock)
    return app
