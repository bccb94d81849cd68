"""Use case: an order placed by a checkout was cancelled (``OrderCancelled`` from orders).

What the checkout took is given back exactly once: promotion uses are counted off their
promotions, gift-card debits go back on the cards. When the payment failed (declined, provider
down — "try again later") the shopper's cart is reopened so they can pay again with a new
idempotency key: the cart becomes ACTIVE again with the same lines, address and codes. A
customer who meanwhile started another cart gets the lines merged into it (the declared merge
strategy of ``merge_carts``) instead, so one customer never has two active carts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from subgraphs.checkout.domain.models import CartStatus
from subgraphs.checkout.services.merge_carts import merge_into_customer_cart
from subgraphs.checkout.uow import CheckoutUnitOfWork

log = logging.getLogger(__name__)
PAYMENT_FAILED = "PAYMENT_FAILED"


@dataclass(frozen=True, slots=True)
class GivenBack:
    checkout_id: str
    promotion_uses: int
    gift_card_minor: int
    reopened_cart_id: str | None


async def give_back_cancelled_order(
    uow: CheckoutUnitOfWork, *, order_id: str, reason: str
) -> GivenBack | None:
    checkout = await uow.checkouts.by_order(order_id)
    if checkout is None:
        log.warning("OrderCancelled for an order no checkout placed", extra={"order_id": order_id})
        return None
    uses = await uow.promotions.give_back_promotion_uses(checkout.id)
    credited = await uow.promotions.credit_gift_card_uses(checkout.id)
    reopened = (
        await _reopen(uow, checkout.cart_id, checkout.id) if reason == PAYMENT_FAILED else None
    )
    return GivenBack(checkout.id, uses, credited, reopened)


async def _reopen(uow: CheckoutUnitOfWork, cart_id: str, checkout_id: str) -> str | None:
    cart = await uow.carts.get(cart_id, for_update=True)
    if cart is None or cart.status != CartStatus.COMPLETED or cart.checkout_id != checkout_id:
        return None  # already reopened, or checked out again since
    cart.checkout_id = None
    cart.completing_key = None
    cart.completing_since = None
    if cart.customer_id is not None:
        other = await uow.carts.active_for_customer(cart.customer_id)
        if other is not None:
            target, _ = await merge_into_customer_cart(uow, cart, cart.customer_id)
            return target.id
    cart.status = CartStatus.ACTIVE
    cart.touch()
    return cart.id
