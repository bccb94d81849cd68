"""Rebuild the ``orders`` projection from the event streams (``python -m subgraphs
orders-rebuild``): after a change to how state is folded, or to prove the projection is only a
cache of the events."""

from __future__ import annotations

from collections.abc import Callable

from subgraphs.orders.domain.order import fold
from subgraphs.orders.uow import OrdersUnitOfWork


async def rebuild_projection(uow_factory: Callable[[], OrdersUnitOfWork]) -> int:
    async with uow_factory() as uow:
        ids = await uow.orders.all_ids()
        await uow.commit()
    for order_id in ids:
        async with uow_factory() as uow:
            state = fold(order_id, await uow.orders.events(order_id))
            await uow.orders.replace_projection(order_id, state)
            await uow.commit()
    return len(ids)
