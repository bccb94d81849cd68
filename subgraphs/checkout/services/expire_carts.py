"""Use case: delete guest carts whose lifetime ran out (lazy expiry already hides them; this
frees the rows). Completed carts stay, customers' carts never expire."""

from __future__ import annotations

from datetime import datetime

from subgraphs.checkout.services.cart_changes import UowFactory


async def delete_expired_carts(uow_factory: UowFactory, *, at: datetime) -> int:
    """How many carts expired before ``at`` were deleted (with their lines), in one transaction."""
    async with uow_factory() as uow:
        deleted = await uow.carts.delete_expired(at)
        await uow.commit()
    return deleted
