"""Use cases: a buyer identifies themselves on a cart (``cartBuyerIdentityUpdate``) or merges a
guest cart into their own (``cartMerge``).

Merge strategy (declared, tested): every guest line goes into the customer's active cart; a
variant in both gets the quantities summed, capped at 99 per line; a new variant is added while
the cart has fewer than 100 lines (others are dropped, and not listed as merged); lines in
another currency than the customer's cart are dropped. Discount and gift-card codes are united
(at most 10 each); the customer's email and shipping address win, the guest's fill gaps. The
guest cart becomes MERGED. Without an active customer cart, the guest cart simply becomes the
customer's cart (its id then stops being a bearer secret).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth import Principal
from subgraphs.checkout.domain.errors import CartError, CartErrorCode
from subgraphs.checkout.domain.models import (
    MAX_LINES_PER_CART,
    MAX_QUANTITY_PER_LINE,
    Cart,
    CartLine,
    CartStatus,
)
from subgraphs.checkout.services.cart_changes import (
    MAX_CODES,
    UowFactory,
    check_email,
    load_cart,
    require_active,
)
from subgraphs.checkout.uow import CheckoutUnitOfWork


@dataclass(frozen=True, slots=True)
class MergedLine:
    variant_id: str
    quantity_added: int
    quantity: int


@dataclass(frozen=True, slots=True)
class IdentityResult:
    cart_id: str
    merged_lines: list[MergedLine]


async def _attach(
    uow: CheckoutUnitOfWork, guest: Cart, customer_id: str
) -> tuple[Cart, list[MergedLine]]:
    target = await uow.carts.active_for_customer(customer_id)
    if target is None or target.id == guest.id:
        guest.customer_id = customer_id
        guest.touch()
        return guest, []
    merged: list[MergedLine] = []
    existing = {line.variant_id: line for line in await uow.carts.lines(target.id)}
    for line in await uow.carts.lines(guest.id):
        if target.currency is not None and guest.currency != target.currency:
            break
        mine = existing.get(line.variant_id)
        if mine is not None:
            before = mine.quantity
            mine.quantity = min(before + line.quantity, MAX_QUANTITY_PER_LINE)
            if mine.quantity > before:
                merged.append(MergedLine(line.variant_id, mine.quantity - before, mine.quantity))
        elif len(existing) < MAX_LINES_PER_CART:
            added = CartLine(
                cart_id=target.id,
                variant_id=line.variant_id,
                quantity=line.quantity,
                price_at_add=line.price_at_add,
            )
            uow.carts.add_line(added)
            existing[line.variant_id] = added
            merged.append(MergedLine(line.variant_id, line.quantity, line.quantity))
            target.currency = target.currency or guest.currency
    target.discount_codes = list(dict.fromkeys(target.discount_codes + guest.discount_codes))[
        :MAX_CODES
    ]
    target.gift_card_codes = list(dict.fromkeys(target.gift_card_codes + guest.gift_card_codes))[
        :MAX_CODES
    ]
    target.email = target.email or guest.email
    target.shipping_address = target.shipping_address or guest.shipping_address
    guest.status = CartStatus.MERGED
    guest.touch()
    target.touch()
    return target, merged


async def merge_into_customer_cart(
    uow: CheckoutUnitOfWork, cart: Cart, customer_id: str
) -> tuple[Cart, list[MergedLine]]:
    """Move ``cart``'s lines into the customer's active cart by the strategy above (a reopened
    cart whose owner started another one meanwhile)."""
    return await _attach(uow, cart, customer_id)


async def update_buyer_identity(
    uow_factory: UowFactory,
    *,
    cart_id: str,
    actor: Principal,
    email: str | None = None,
) -> IdentityResult:
    """Set the email; a signed-in customer also takes the guest cart (merging it into theirs)."""
    checked = check_email(email) if email is not None else None
    async with uow_factory() as uow:
        cart = await load_cart(uow, cart_id, actor)
        require_active(cart)
        merged: list[MergedLine] = []
        if actor.is_customer and actor.id is not None and cart.is_guest:
            cart, merged = await _attach(uow, cart, actor.id)
        if checked is not None:
            cart.email = checked
        elif cart.email is None and cart.customer_id is not None:
            cart.email = await uow.contacts.email_of(cart.customer_id)
        cart.touch()
        await uow.commit()
    return IdentityResult(cart.id, merged)


async def merge_guest_cart(
    uow_factory: UowFactory, *, guest_cart_id: str, actor: Principal
) -> IdentityResult:
    if not actor.is_customer or actor.id is None:
        raise CartError(CartErrorCode.INVALID, "Sign in to merge a cart.", field="guestCartId")
    async with uow_factory() as uow:
        guest = await load_cart(uow, guest_cart_id, actor)
        require_active(guest)
        if not guest.is_guest:
            if guest.customer_id == actor.id:  # already theirs: nothing to merge
                await uow.commit()
                return IdentityResult(guest.id, [])
            raise CartError(CartErrorCode.CART_NOT_FOUND, "No such cart.", field="guestCartId")
        cart, merged = await _attach(uow, guest, actor.id)
        await uow.commit()
    return IdentityResult(cart.id, merged)
