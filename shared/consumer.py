"""Idempotent event consumers: the inbox row and the handler's effect commit together."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from shared.bus.base import Handler
from shared.events import Envelope
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)
U = TypeVar("U", bound=UnitOfWork)
EventHandler = Callable[[U, Envelope], Awaitable[None]]


def idempotent(consumer: str, uow_factory: Callable[[], U], handler: EventHandler[U]) -> Handler:
    """Wrap ``handler`` so each event id is applied at most once by ``consumer``.

    The handler runs inside the unit of work that also claims the inbox row; it must not commit.
    A redelivered event finds its inbox row and is skipped; a concurrent duplicate loses the race
    on the inbox primary key and is skipped too.
    """

    async def handle(envelope: Envelope) -> None:
        try:
            async with uow_factory() as uow:
                if not await uow.claim_inbox(consumer, envelope):
                    log.debug("duplicate event skipped", extra={"event_id": envelope.id})
                    return
                await handler(uow, envelope)
                await uow.commit()
        except IntegrityError:
            async with uow_factory() as uow:
                if await uow.claim_inbox(consumer, envelope):
                    raise  # not a duplicate: a real constraint failure in the handler
            log.debug("concurrent duplicate event skipped", extra={"event_id": envelope.id})

    return handle
