"""Commands of the orders subgraph (``python -m subgraphs orders …``): list the queued
customer notifications (the embedded Notification port's outbox) and rebuild the projection
from the event streams."""

from __future__ import annotations

from functools import partial

from shared.bus.memory import InMemoryEventBus
from shared.settings import Settings
from subgraphs.orders.app import create_subgraph
from subgraphs.orders.services.rebuild import rebuild_projection
from subgraphs.orders.uow import OrdersUnitOfWork


async def orders_command(settings: Settings, action: str, limit: int = 20) -> int:
    app = create_subgraph(settings, InMemoryEventBus())
    await app.infra.migrate()
    uow = partial(app.infra.unit_of_work, OrdersUnitOfWork)
    try:
        if action == "rebuild":
            count = await rebuild_projection(uow)
            print(f"rebuilt the projection of {count} orders from their events")
            return 0
        async with uow() as work:
            messages = await work.notifications.listing(limit)
            await work.commit()
        for m in messages:
            print(f"{m['created_at']:%Y-%m-%d %H:%M:%S}  {m['kind']:<22} to {m['recipient']}")
            print(f"  {m['subject']}")
            if action == "notifications-full":
                print("  " + m["body"].replace("\n", "\n  "))
        if not messages:
            print("no notifications queued yet")
        return 0
    finally:
        await app.infra.database.dispose()
