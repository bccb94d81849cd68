"""Use case: create a cart (guest or customer), optionally with lines, email and codes.

A customer has one active cart: ``cartCreate`` by a customer who already has one adds the
lines to it and returns it, so the cart follows them across devices.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.auth import Principal
from subgraphs.checkout.domain.models import Cart
from subgraphs.checkout.services.cart_changes import (
    LineInput,
    UowFactory,
    add_lines_to,
    check_email,
    claim,
    normalize_codes,
)


async def create_cart(
    uow_factory: UowFactory,
    *,
    actor: Principal,
    lines: Sequence[LineInput] = (),
    email: str | None = None,
    discount_codes: Sequence[str] = (),
    idempotency_key: str | None = None,
) -> str:
    checked_email = check_email(email) if email is not None else None
    codes = normalize_codes(discount_codes, "discountCodes")
    async with uow_factory() as uow:
        replay = await claim(
            uow,
            idempotency_key,
            operation="cartCreate",
            actor=actor,
            data={"lines": lines, "email": checked_email, "codes": codes},
        )
        if replay is not None:
            await uow.commit()
            return replay
        cart: Cart | None = None
        if actor.is_customer and actor.id is not None:
            cart = await uow.carts.active_for_customer(actor.id)
        if cart is None:
            cart = Cart(customer_id=actor.id if actor.is_customer else None)
            uow.carts.add(cart)
        if checked_email is not None:
            cart.email = checked_email
        elif cart.email is None and cart.customer_id is not None:
            cart.email = await uow.contacts.email_of(cart.customer_id)
        for code in codes:
            if code not in cart.discount_codes:
                cart.discount_codes = [*cart.discount_codes, code]
        if lines:
            await add_lines_to(uow, cart, lines)
        cart.touch()
        await uow.commit(idempotent_response={"cart_id": cart.id})
    return cart.id
