"""Use cases that change one cart: lines, codes, buyer email, shipping address and method.

Each runs in one unit of work: claim the idempotency key (if any), load the cart with a row
lock, check the caller may change it, apply the change through the domain rules, touch it
(guest carts live 7 days past their last change), commit with the response ``{cart_id}``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from shared.auth import Principal
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.checkout.domain.access import can_access_cart
from subgraphs.checkout.domain.address import validate_address
from subgraphs.checkout.domain.errors import CartError, CartErrorCode, CartErrors
from subgraphs.checkout.domain.models import (
    MAX_LINES_PER_CART,
    MAX_QUANTITY_PER_LINE,
    Cart,
    CartLine,
    CartStatus,
    now,
)
from subgraphs.checkout.domain.money import round_money
from subgraphs.checkout.uow import CheckoutUnitOfWork

UowFactory = Callable[[], CheckoutUnitOfWork]
Change = Callable[[CheckoutUnitOfWork, Cart], Awaitable[None]]
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,185}\.[^@\s]{2,}")
MAX_CODES = 10


@dataclass(frozen=True, slots=True)
class LineInput:
    variant_id: str
    quantity: int


async def load_cart(uow: CheckoutUnitOfWork, cart_id: str, actor: Principal) -> Cart:
    """The cart, locked for change, if the caller may change it (else CART_NOT_FOUND: a cart
    that is not yours does not exist for you)."""
    cart = await uow.carts.get(cart_id, for_update=True)
    if cart is None or not can_access_cart(cart, actor):
        raise CartError(CartErrorCode.CART_NOT_FOUND, "No such cart.", field="cartId")
    return cart


STALE_COMPLETION = timedelta(seconds=30)
"""A completion claim older than this is a crashed attempt (a live one takes a few seconds at
most: inventory calls time out after 2 s, twice retried)."""


def require_active(cart: Cart) -> None:
    """The cart can change: active, and not being checked out right now."""
    if cart.status != CartStatus.ACTIVE:
        raise CartError(
            CartErrorCode.CART_NOT_ACTIVE, f"This cart is {cart.status.lower()}.", field="cartId"
        )
    if cart.completing_since is not None and now() - cart.completing_since < STALE_COMPLETION:
        raise CartError(
            CartErrorCode.CHECKOUT_IN_PROGRESS, "This cart is being checked out.", field="cartId"
        )


async def claim(
    uow: CheckoutUnitOfWork,
    key: str | None,
    *,
    operation: str,
    actor: Principal,
    data: Mapping[str, Any],
) -> str | None:
    """Claim the idempotency key; the cart id of an earlier identical request, if any."""
    try:
        request = IdempotentRequest.of(key, operation=operation, caller=actor, data=data)
        replay = await uow.claim_idempotency_key(request)
    except IdempotencyError as exc:
        raise CartError.from_idempotency(exc) from exc
    return None if replay is None else str(replay["cart_id"])


async def change_cart(
    uow_factory: UowFactory,
    *,
    operation: str,
    cart_id: str,
    actor: Principal,
    data: Mapping[str, Any],
    change: Change,
    idempotency_key: str | None = None,
) -> str:
    async with uow_factory() as uow:
        replay = await claim(
            uow,
            idempotency_key,
            operation=operation,
            actor=actor,
            data={"cart_id": cart_id, **data},
        )
        if replay is not None:
            await uow.commit()
            return replay
        cart = await load_cart(uow, cart_id, actor)
        require_active(cart)
        await change(uow, cart)
        cart.touch()
        await uow.commit(idempotent_response={"cart_id": cart.id})
    return cart_id


def _check_quantity(quantity: int, field: list[str], *, allow_zero: bool = False) -> None:
    low = 0 if allow_zero else 1
    if quantity < low:
        raise CartError(CartErrorCode.INVALID, f"Quantity must be at least {low}.", field=field)
    if quantity > MAX_QUANTITY_PER_LINE:
        raise CartError(
            CartErrorCode.MAXIMUM_QUANTITY_EXCEEDED,
            f"At most {MAX_QUANTITY_PER_LINE} of one item per cart.",
            field=field,
        )


async def add_lines_to(uow: CheckoutUnitOfWork, cart: Cart, lines: Sequence[LineInput]) -> None:
    """Add ``lines``: a variant already in the cart gets its quantities summed (≤ 99)."""
    if not lines:
        raise CartError(CartErrorCode.REQUIRED, "Give at least one line.", field="lines")
    variants = await uow.variants.by_ids([x.variant_id for x in lines])
    existing = {line.variant_id: line for line in await uow.carts.lines(cart.id)}
    for i, wanted in enumerate(lines):
        _check_quantity(wanted.quantity, ["lines", str(i), "quantity"])
        variant = variants.get(wanted.variant_id)
        if variant is None or not variant.available:
            raise CartError(
                CartErrorCode.INVALID_MERCHANDISE_LINE,
                "This product cannot be bought.",
                field=["lines", str(i), "merchandiseId"],
            )
        if cart.currency is None:
            cart.currency = variant.currency
        elif variant.currency != cart.currency:
            raise CartError(
                CartErrorCode.CURRENCY_MISMATCH,
                f"This cart is in {cart.currency}.",
                field=["lines", str(i), "merchandiseId"],
            )
        line = existing.get(wanted.variant_id)
        if line is not None:
            _check_quantity(line.quantity + wanted.quantity, ["lines", str(i), "quantity"])
            line.quantity += wanted.quantity
            continue
        if len(existing) >= MAX_LINES_PER_CART:
            raise CartError(
                CartErrorCode.MAXIMUM_LINES_EXCEEDED,
                f"A cart holds at most {MAX_LINES_PER_CART} lines.",
                field=["lines", str(i)],
            )
        line = CartLine(
            cart_id=cart.id,
            variant_id=wanted.variant_id,
            quantity=wanted.quantity,
            price_at_add=round_money(Decimal(variant.price_amount), variant.currency),
        )
        uow.carts.add_line(line)
        existing[wanted.variant_id] = line


async def add_lines(
    uow_factory: UowFactory,
    *,
    cart_id: str,
    lines: Sequence[LineInput],
    actor: Principal,
    idempotency_key: str | None = None,
) -> str:
    async def change(uow: CheckoutUnitOfWork, cart: Cart) -> None:
        await add_lines_to(uow, cart, lines)

    return await change_cart(
        uow_factory,
        operation="cartLinesAdd",
        cart_id=cart_id,
        actor=actor,
        data={"lines": lines},
        change=change,
        idempotency_key=idempotency_key,
    )


async def update_lines(
    uow_factory: UowFactory,
    *,
    cart_id: str,
    quantities: Sequence[tuple[str, int]],
    actor: Principal,
    idempotency_key: str | None = None,
) -> str:
    """Set line quantities by line id; 0 removes the line."""

    async def change(uow: CheckoutUnitOfWork, cart: Cart) -> None:
        lines = {line.id: line for line in await uow.carts.lines(cart.id)}
        for i, (line_id, quantity) in enumerate(quantities):
            _check_quantity(quantity, ["lines", str(i), "quantity"], allow_zero=True)
            line = lines.get(line_id)
            if line is None:
                raise CartError(
                    CartErrorCode.LINE_NOT_FOUND, "No such line.", field=["lines", str(i), "id"]
                )
            if quantity == 0:
                await uow.carts.delete_line(line)
            else:
                line.quantity = quantity

    return await change_cart(
        uow_factory,
        operation="cartLinesUpdate",
        cart_id=cart_id,
        actor=actor,
        data={"lines": [list(q) for q in quantities]},
        change=change,
        idempotency_key=idempotency_key,
    )


async def remove_lines(
    uow_factory: UowFactory,
    *,
    cart_id: str,
    line_ids: Sequence[str],
    actor: Principal,
    idempotency_key: str | None = None,
) -> str:
    return await update_lines(
        uow_factory,
        cart_id=cart_id,
        quantities=[(line_id, 0) for line_id in line_ids],
        actor=actor,
        idempotency_key=idempotency_key,
    )


def normalize_codes(codes: Sequence[str], field: str) -> list[str]:
    cleaned: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if not code or len(code) > 64:
            raise CartError(CartErrorCode.INVALID, "A code has 1 to 64 characters.", field=field)
        if code not in cleaned:
            cleaned.append(code)
    if len(cleaned) > MAX_CODES:
        raise CartError(CartErrorCode.INVALID, f"At most {MAX_CODES} codes.", field=field)
    return cleaned


async def update_discount_codes(
    uow_factory: UowFactory, *, cart_id: str, codes: Sequence[str], actor: Principal
) -> str:
    """Replace the cart's discount codes. Unknown or unusable codes are kept and shown as not
    applicable (Shopify's behaviour), so the shopper sees why."""
    cleaned = normalize_codes(codes, "discountCodes")

    async def change(uow: CheckoutUnitOfWork, cart: Cart) -> None:
        cart.discount_codes = cleaned

    return await change_cart(
        uow_factory,
        operation="cartDiscountCodesUpdate",
        cart_id=cart_id,
        actor=actor,
        data={"codes": cleaned},
        change=change,
    )


async def update_gift_card_codes(
    uow_factory: UowFactory, *, cart_id: str, codes: Sequence[str], actor: Principal
) -> str:
    cleaned = normalize_codes(codes, "giftCardCodes")

    async def change(uow: CheckoutUnitOfWork, cart: Cart) -> None:
        cart.gift_card_codes = cleaned

    return await change_cart(
        uow_factory,
        operation="cartGiftCardCodesUpdate",
        cart_id=cart_id,
        actor=actor,
        data={"codes": cleaned},
        change=change,
    )


def check_email(email: str) -> str:
    email = email.strip()
    if not email:
        raise CartError(CartErrorCode.EMAIL_REQUIRED, "Give an email address.", field="email")
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise CartError(CartErrorCode.INVALID_EMAIL, "Not a valid email address.", field="email")
    return email


async def update_email(
    uow_factory: UowFactory, *, cart_id: str, email: str, actor: Principal
) -> str:
    checked = check_email(email)

    async def change(uow: CheckoutUnitOfWork, cart: Cart) -> None:
        cart.email = checked

    return await change_cart(
        uow_factory,
        operation="checkoutEmailUpdate",
        cart_id=cart_id,
        actor=actor,
        data={"email": checked},
        change=change,
    )


async def update_shipping_address(
    uow_factory: UowFactory,
    *,
    cart_id: str,
    address: Mapping[str, str | None],
    actor: Principal,
) -> str:
    """Validate the address for its country; a country no shipping zone covers is refused.
    A selected method that does not serve the new country is dropped."""
    checked = validate_address(address, path=("shippingAddress",))

    async def change(uow: CheckoutUnitOfWork, cart: Cart) -> None:
        if checked.country_code not in await uow.shipping.shipped_countries():
            raise CartErrors(
                [
                    CartError(
                        CartErrorCode.UNSUPPORTED_COUNTRY,
                        f"We do not ship to {checked.country_code}.",
                        field=["shippingAddress", "countryCode"],
                    )
                ]
            )
        cart.shipping_address = checked.to_dict()
        if cart.shipping_method_id is not None:
            method = await uow.shipping.method(cart.shipping_method_id)
            zone = await uow.shipping.zone(method.zone_id) if method else None
            if zone is None or checked.country_code not in zone.countries:
                cart.shipping_method_id = None

    return await change_cart(
        uow_factory,
        operation="checkoutShippingAddressUpdate",
        cart_id=cart_id,
        actor=actor,
        data={"address": checked.to_dict()},
        change=change,
    )


async def update_shipping_method(
    uow_factory: UowFactory, *, cart_id: str, method_id: str, actor: Principal
) -> str:
    async def change(uow: CheckoutUnitOfWork, cart: Cart) -> None:
        if cart.shipping_address is None:
            raise CartError(
                CartErrorCode.SHIPPING_ADDRESS_REQUIRED,
                "Give a shipping address first.",
                field="shippingMethodId",
            )
        method = await uow.shipping.method(method_id)
        zone = await uow.shipping.zone(method.zone_id) if method else None
        country = str(cart.shipping_address.get("country_code", ""))
        if (
            method is None
            or zone is None
            or not method.active
            or country not in zone.countries
            or (cart.currency is not None and method.currency != cart.currency)
        ):
            raise CartError(
                CartErrorCode.SHIPPING_METHOD_NOT_AVAILABLE,
                "This shipping method is not available for this cart.",
                field="shippingMethodId",
            )
        cart.shipping_method_id = method.id

    return await change_cart(
        uow_factory,
        operation="checkoutShippingMethodUpdate",
        cart_id=cart_id,
        actor=actor,
        data={"method_id": method_id},
        change=change,
    )
