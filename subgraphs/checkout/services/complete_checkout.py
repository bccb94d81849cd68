"""Use case: complete a checkout — reserve stock before any payment, consume promotions and
gift cards exactly once, record ``CheckoutCompleted``.

1. One transaction claims the idempotency key (scoped to the caller, fingerprinted on the cart
   id) and the cart (a conditional update sets ``completing_key``), after checking the cart is
   ready (lines, email, address, method, every product still sold). A concurrent duplicate
   waits on the key, then finds it pending: CHECKOUT_IN_PROGRESS, nothing done twice.
2. Outside any transaction, inventory reserves every line at once under a reservation id
   derived from cart and key (a retry cannot reserve twice). Insufficient stock: nothing is
   reserved, the key and the cart are freed, the shopper gets the lines in userErrors.
3. One transaction re-prices the cart, counts each promotion use (conditional update against
   the total limit; per-customer uses counted by customer id or email) and debits gift cards
   (conditional update on the balance), writes the checkout, marks the cart COMPLETED, records
   CheckoutCompleted in the outbox and stores the key's response. If a limit or a balance ran
   out meanwhile, it rolls back and the reservation is released.

A claim older than ``stale_after`` (30 s by default; the process died between the steps) may be
taken over by a retry with the same key, which then gets the same reservation id; should the
slow first attempt still finish, whichever finishes second returns the first's checkout.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from shared.auth import Principal
from shared.idempotency import IdempotencyError, IdempotentRequest, answer
from shared.service_client import ServiceUnavailable
from subgraphs.checkout.adapters.inventory import InsufficientStock, InventoryGateway, StockLine
from subgraphs.checkout.domain.errors import CartError, CartErrorCode
from subgraphs.checkout.domain.events import CheckoutCompleted
from subgraphs.checkout.domain.models import (
    CartStatus,
    Checkout,
    GiftCardUse,
    PromotionUse,
    now,
)
from subgraphs.checkout.domain.money import to_minor
from subgraphs.checkout.domain.payment import PaymentChoice, new_order_token, order_token_hash
from subgraphs.checkout.domain.views import CartView, price_cart
from subgraphs.checkout.repository import CartReader
from subgraphs.checkout.services.cart_changes import (
    STALE_COMPLETION,
    UowFactory,
    load_cart,
    require_active,
)
from subgraphs.checkout.uow import CheckoutUnitOfWork

OPERATION = "checkoutComplete"
RESERVATION_NAMESPACE = uuid.UUID("6f2c9a52-6c3e-4b8e-9d7e-2f0c1d5b8a11")


class _Replay(Exception):
    """The key completed before: its checkout id."""

    def __init__(self, checkout_id: str) -> None:
        super().__init__(checkout_id)
        self.checkout_id = checkout_id


def reservation_id_for(cart_id: str, key: str) -> str:
    return str(uuid.uuid5(RESERVATION_NAMESPACE, f"{cart_id}:{key}"))


async def _view(uow: CheckoutUnitOfWork, cart_id: str) -> CartView:
    contexts = await uow.session.run_sync(lambda s: CartReader(s).contexts([cart_id]))
    return price_cart(contexts[cart_id])


def _check_ready(view: CartView, payment: PaymentChoice | None) -> None:
    cart = view.cart
    if not view.lines:
        raise CartError(CartErrorCode.EMPTY_CART, "The cart is empty.", field="cartId")
    unavailable = [line for line in view.lines if not line.available]
    if unavailable:
        raise CartError(
            CartErrorCode.PRODUCT_UNAVAILABLE,
            "Some products are no longer sold; remove them first.",
            field="cartId",
        )
    if not cart.email:
        raise CartError(CartErrorCode.EMAIL_REQUIRED, "Give an email address.", field="email")
    if view.address is None:
        raise CartError(
            CartErrorCode.SHIPPING_ADDRESS_REQUIRED, "Give a shipping address.", field="cartId"
        )
    if view.selected_method is None:
        raise CartError(
            CartErrorCode.SHIPPING_METHOD_REQUIRED, "Choose a shipping method.", field="cartId"
        )
    # Never charge more than the shopper was shown: a code that stopped counting blocks.
    for code in view.discount_codes:
        if not code.applicable:
            raise CartError(
                CartErrorCode.DISCOUNT_NOT_APPLICABLE,
                f"The code {code.code} cannot be used ({code.status.lower()}); remove it.",
                field="discountCodes",
            )
    for card in view.gift_cards:
        if not card.applicable:
            raise CartError(
                CartErrorCode.GIFT_CARD_NOT_APPLICABLE,
                f"The gift card ending {card.code[-4:]} cannot be used; remove it.",
                field="giftCardCodes",
            )
    if payment is None and view.cost.total > 0:
        raise CartError(
            CartErrorCode.PAYMENT_REQUIRED,
            "Choose how to pay (a payment token from the payment form).",
            field="payment",
        )


async def _claim(
    uow_factory: UowFactory,
    request: IdempotentRequest,
    *,
    cart_id: str,
    actor: Principal,
    started: datetime,
    payment: PaymentChoice | None,
    stale_after: timedelta,
) -> CartView:
    """Step 1: claim the key and the cart; the cart priced as it will be reserved."""
    async with uow_factory() as uow:
        try:
            stored = await uow.claim_idempotency_key(request)
        except IdempotencyError as exc:
            raise CartError.from_idempotency(exc) from exc
        if stored is not None and stored.get("checkout_id"):
            await uow.commit()
            raise _Replay(str(stored["checkout_id"]))
        if stored is not None:  # pending: running elsewhere, or crashed
            since = stored.get("pending_since")
            if isinstance(since, str) and started - _parse(since) < stale_after:
                raise CartError(
                    CartErrorCode.CHECKOUT_IN_PROGRESS,
                    "This checkout is being completed; retry with the same key shortly.",
                    field="idempotencyKey",
                )
            await answer(
                uow.session,
                uow.tables.idempotency,
                request,
                {"pending_since": started.isoformat()},
            )
        cart = await load_cart(uow, cart_id, actor)
        if cart.status == CartStatus.COMPLETED:
            raise CartError(
                CartErrorCode.CART_NOT_ACTIVE, "This cart is already checked out.", field="cartId"
            )
        if cart.completing_key != request.key:
            require_active(cart)
        if cart.email is None and cart.customer_id is not None:  # known from accounts
            cart.email = await uow.contacts.email_of(cart.customer_id)
            await uow.session.flush()
        view = await _view(uow, cart_id)
        _check_ready(view, payment)
        if not await uow.carts.claim_completion(
            cart_id, request.key, started, started - stale_after
        ):
            raise CartError(
                CartErrorCode.CHECKOUT_IN_PROGRESS,
                "This cart is being checked out.",
                field="cartId",
            )
        if stored is None:
            await uow.commit(idempotent_response={"pending_since": started.isoformat()})
        else:
            await uow.commit()

    return view


async def _free(
    uow_factory: UowFactory, request: IdempotentRequest, cart_id: str, key: str
) -> None:
    """Undo step 1: the key may be used again, the cart may change again."""
    async with uow_factory() as uow:
        table = uow.tables.idempotency
        await uow.session.execute(
            delete(table).where(table.c.scope == request.scope, table.c.key == request.key)
        )
        await uow.carts.release_completion(cart_id, key)
        await uow.commit()


async def complete_checkout(
    uow_factory: UowFactory,
    inventory: InventoryGateway,
    *,
    cart_id: str,
    idempotency_key: str,
    actor: Principal,
    payment: PaymentChoice | None = None,
    reservation_ttl: int = 900,
    stale_after: timedelta = STALE_COMPLETION,
) -> str:
    """The completed checkout's id (also on a retry with the same key). ``payment`` may be
    left out only when nothing is left to pay (gift cards cover the total)."""
    try:
        request = IdempotentRequest.of(
            idempotency_key,
            operation=OPERATION,
            caller=actor,
            data={"cart_id": cart_id, "payment": payment.to_dict() if payment else None},
        )
    except IdempotencyError as exc:
        raise CartError.from_idempotency(exc) from exc
    assert request is not None
    started = now()

    try:
        view = await _claim(
            uow_factory,
            request,
            cart_id=cart_id,
            actor=actor,
            started=started,
            payment=payment,
            stale_after=stale_after,
        )
    except _Replay as replay:
        return replay.checkout_id

    # 2. Reserve stock, outside any transaction.
    reservation_id = reservation_id_for(cart_id, request.key)
    try:
        await inventory.reserve(
            reservation_id=reservation_id,
            owner=f"checkout:{cart_id}",
            lines=[StockLine(line.variant_id, line.quantity) for line in view.lines],
            ttl_seconds=reservation_ttl,
        )
    except InsufficientStock as exc:
        await _free(uow_factory, request, cart_id, request.key)
        raise CartError(
            CartErrorCode.INSUFFICIENT_STOCK,
            "Not enough stock for some lines; nothing was reserved.",
            field="cartId",
            shortages=exc.shortages,
        ) from exc
    except ServiceUnavailable as exc:
        await _free(uow_factory, request, cart_id, request.key)
        raise CartError(
            CartErrorCode.SERVICE_UNAVAILABLE,
            "Stock cannot be checked right now; your cart is kept, try again in a moment.",
            field="cartId",
        ) from exc

    # 3. Consume promotions and gift cards, write the checkout and the event.
    try:
        return await _finish(
            uow_factory,
            request=request,
            cart_id=cart_id,
            reservation_id=reservation_id,
            payment=payment,
        )
    except CartError:
        await _release_quietly(inventory, reservation_id)
        await _free(uow_factory, request, cart_id, request.key)
        raise


async def _release_quietly(inventory: InventoryGateway, reservation_id: str) -> None:
    with contextlib.suppress(ServiceUnavailable):  # else the reservation expires by its TTL
        await inventory.release(reservation_id)


def _code_used_up(code: str) -> CartError:
    return CartError(
        CartErrorCode.DISCOUNT_NOT_APPLICABLE,
        f"The code {code} can no longer be used.",
        field="discountCodes",
    )


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def _finish(
    uow_factory: UowFactory,
    *,
    request: IdempotentRequest,
    cart_id: str,
    reservation_id: str,
    payment: PaymentChoice | None,
) -> str:
    async with uow_factory() as uow:
        cart = await uow.carts.get(cart_id, for_update=True)
        if (
            cart is not None
            and cart.status == CartStatus.COMPLETED
            and cart.completing_key == request.key
            and cart.checkout_id is not None
        ):
            return cart.checkout_id  # a run that took over this key finished first: its result
        if cart is None or cart.completing_key != request.key:
            raise CartError(
                CartErrorCode.CHECKOUT_IN_PROGRESS,
                "This cart is being checked out.",
                field="cartId",
            )
        view = await _view(uow, cart_id)
        _check_ready(view, payment)
        checkout = Checkout(
            cart_id=cart.id,
            customer_id=cart.customer_id,
            email=cart.email or "",
            reservation_id=reservation_id,
            order_id=str(uuid.uuid4()),
            order_token=new_order_token(),
            total=view.cost.total,
            currency=view.currency,
            summary={},
        )
        customer_key = cart.customer_key or ""
        for code in view.discount_codes:
            if not code.applicable:
                continue
            promotion = view.promotions[code.code]
            limit = promotion.usage_limit_per_customer
            slot = (
                None
                if limit is None
                else await uow.promotions.free_slot(promotion.id, customer_key, limit)
            )
            if (limit is not None and slot is None) or not await uow.promotions.consume(
                promotion.id
            ):
                raise _code_used_up(code.code)
            uow.promotions.record_use(
                PromotionUse(
                    promotion_id=promotion.id,
                    checkout_id=checkout.id,
                    customer_key=customer_key,
                    slot=slot,
                )
            )
            try:  # a concurrent checkout of the same customer took the slot: refused here
                await uow.session.flush()
            except IntegrityError as exc:
                raise _code_used_up(code.code) from exc
        for card_code, amount in view.cost.gift_card_use.items():
            minor = to_minor(amount, view.currency)
            if not await uow.promotions.debit_gift_card(card_code, minor):
                raise CartError(
                    CartErrorCode.GIFT_CARD_NOT_APPLICABLE,
                    f"The gift card {card_code[-4:]} no longer covers this amount.",
                    field="giftCardCodes",
                )
            uow.promotions.record_use(
                GiftCardUse(code=card_code, checkout_id=checkout.id, amount_minor=minor)
            )
        event = _event(view, checkout, reservation_id, payment)
        summary = event.payload()
        if summary["payment"] is not None:  # the provider token stays with the event only
            summary["payment"] = {"gateway": summary["payment"]["gateway"]}
        checkout.summary = summary
        uow.checkouts.add(checkout)
        cart.status = CartStatus.COMPLETED
        cart.checkout_id = checkout.id
        cart.expires_at = None
        uow.record(event)
        await answer(uow.session, uow.tables.idempotency, request, {"checkout_id": checkout.id})
        await uow.commit()
    return checkout.id


def _event(
    view: CartView, checkout: Checkout, reservation_id: str, payment: PaymentChoice | None
) -> CheckoutCompleted:
    cost = view.cost
    assert checkout.order_id is not None
    assert checkout.order_token is not None
    assert view.address is not None
    assert view.selected_method is not None
    return CheckoutCompleted(
        checkout_id=checkout.id,
        cart_id=view.cart.id,
        customer_id=view.cart.customer_id,
        email=view.cart.email or "",
        reservation_id=reservation_id,
        lines=[
            {
                "variant_id": line.variant_id,
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "total": str(line.total),
                "discount": str(line.discount),
            }
            for line in view.lines
        ],
        shipping_address=view.address.to_dict(),
        shipping_method={
            "id": view.selected_method.method_id,
            "name": view.selected_method.name,
        },
        shipping_amount=str(cost.shipping),
        subtotal=str(cost.subtotal),
        tax=str(cost.tax),
        prices_include_tax=cost.prices_include_tax,
        discounts=str(cost.discounts),
        discount_codes=[c.code for c in view.discount_codes if c.applicable],
        gift_cards=str(cost.gift_cards),
        total=str(cost.total),
        currency=view.currency,
        completed_at=checkout.completed_at.isoformat(),
        order_id=checkout.order_id,
        order_token_hash=order_token_hash(checkout.order_token),
        payment=payment.to_dict() if payment is not None and cost.total > 0 else None,
    )
