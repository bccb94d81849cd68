"""Who may read or change a cart or a completed checkout (object-level authorization).

A customer's cart (or checkout) is theirs alone: its id is not enough. A guest cart's id is a
bearer secret only while the cart is a guest cart (192 random bits). Staff are not given
shoppers' carts here; orders are where staff look.
"""

from __future__ import annotations

from shared.auth import Principal
from subgraphs.checkout.domain.models import Cart, Checkout


def can_access_cart(cart: Cart, principal: Principal) -> bool:
    if cart.is_expired():
        return False
    if cart.customer_id is None:
        return True
    return principal.is_customer_id(cart.customer_id)


def can_access_checkout(checkout: Checkout, principal: Principal) -> bool:
    if checkout.customer_id is None:
        return True  # the guest holds the checkout id (as random as a cart id)
    return principal.is_customer_id(checkout.customer_id)
