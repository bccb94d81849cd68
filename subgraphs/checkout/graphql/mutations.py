"""Cart and checkout mutations (shoppers). Staff mutations live in ``setup_mutations``."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import timedelta

import strawberry
from strawberry.types import Info

from shared.graphql.arguments import IdempotencyKey
from subgraphs.checkout.domain.errors import CartError, CartErrors
from subgraphs.checkout.domain.payment import PaymentChoice
from subgraphs.checkout.graphql.context import CheckoutContext
from subgraphs.checkout.graphql.dataloaders import CartViewLoader
from subgraphs.checkout.graphql.inputs import (
    CartBuyerIdentityInput,
    CartInput,
    CartLineInput,
    CartLineUpdateInput,
    CheckoutCompleteInput,
    MailingAddressInput,
)
from subgraphs.checkout.graphql.payloads import (
    CartMergePayload,
    CartPayload,
    CartUserError,
    CheckoutCompletePayload,
    MergedLine,
    StockShortage,
)
from subgraphs.checkout.graphql.types import Cart, load_cart, load_checkout
from subgraphs.checkout.services import cart_changes as changes
from subgraphs.checkout.services.complete_checkout import complete_checkout
from subgraphs.checkout.services.create_cart import create_cart
from subgraphs.checkout.services.merge_carts import (
    IdentityResult,
    merge_guest_cart,
    update_buyer_identity,
)

Ctx = Info[CheckoutContext, None]


def _errors(exc: CartError | CartErrors) -> list[CartUserError]:
    errors = exc.errors if isinstance(exc, CartErrors) else [exc]
    return [CartUserError.from_domain(e) for e in errors]


async def _payload(info: Ctx, change: Awaitable[str]) -> CartPayload:
    try:
        cart_id = await change
    except (CartError, CartErrors) as exc:
        return CartPayload(cart=None, user_errors=_errors(exc))
    return CartPayload(cart=await _fresh(info, cart_id), user_errors=[])


async def _fresh(info: Ctx, cart_id: str) -> Cart | None:
    """The cart as it is now (a loader may hold it from before the change)."""
    info.context.loaders.get(CartViewLoader).clear(cart_id)
    return await load_cart(info, cart_id)


def _lines(lines: list[CartLineInput] | None) -> list[changes.LineInput]:
    return [changes.LineInput(str(x.merchandise_id), x.quantity) for x in lines or []]


async def _merge_payload(info: Ctx, work: Awaitable[IdentityResult]) -> CartMergePayload:
    try:
        result = await work
    except (CartError, CartErrors) as exc:
        return CartMergePayload(cart=None, merged_lines=[], user_errors=_errors(exc))
    return CartMergePayload(
        cart=await _fresh(info, result.cart_id),
        merged_lines=[
            MergedLine(
                merchandise_id=strawberry.ID(m.variant_id),
                quantity_added=m.quantity_added,
                quantity=m.quantity,
            )
            for m in result.merged_lines
        ],
        user_errors=[],
    )


@strawberry.type(name="Mutation")
class CartMutation:
    @strawberry.mutation(description="Create a cart (a customer's existing cart gets the lines).")
    async def cart_create(
        self, info: Ctx, input: CartInput | None = None, idempotency_key: IdempotencyKey = None
    ) -> CartPayload:
        input = input or CartInput()
        return await _payload(
            info,
            create_cart(
                info.context.unit_of_work(),
                actor=info.context.principal,
                lines=_lines(input.lines),
                email=input.buyer_identity.email if input.buyer_identity else None,
                discount_codes=input.discount_codes or [],
                idempotency_key=idempotency_key,
            ),
        )

    @strawberry.mutation(description="Add lines; a variant already in the cart adds up (≤ 99).")
    async def cart_lines_add(
        self,
        info: Ctx,
        cart_id: strawberry.ID,
        lines: list[CartLineInput],
        idempotency_key: IdempotencyKey = None,
    ) -> CartPayload:
        return await _payload(
            info,
            changes.add_lines(
                info.context.unit_of_work(),
                cart_id=str(cart_id),
                lines=_lines(lines),
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            ),
        )

    @strawberry.mutation(description="Set line quantities; 0 removes a line.")
    async def cart_lines_update(
        self,
        info: Ctx,
        cart_id: strawberry.ID,
        lines: list[CartLineUpdateInput],
        idempotency_key: IdempotencyKey = None,
    ) -> CartPayload:
        return await _payload(
            info,
            changes.update_lines(
                info.context.unit_of_work(),
                cart_id=str(cart_id),
                quantities=[(str(x.id), x.quantity) for x in lines],
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            ),
        )

    @strawberry.mutation(description="Remove lines by id.")
    async def cart_lines_remove(
        self,
        info: Ctx,
        cart_id: strawberry.ID,
        line_ids: list[strawberry.ID],
        idempotency_key: IdempotencyKey = None,
    ) -> CartPayload:
        return await _payload(
            info,
            changes.remove_lines(
                info.context.unit_of_work(),
                cart_id=str(cart_id),
                line_ids=[str(x) for x in line_ids],
                actor=info.context.principal,
                idempotency_key=idempotency_key,
            ),
        )

    @strawberry.mutation(
        description="Set the buyer's email; a signed-in customer takes the guest cart, merging "
        "it into their own cart when they have one (mergedLines says what merged)."
    )
    async def cart_buyer_identity_update(
        self, info: Ctx, cart_id: strawberry.ID, buyer_identity: CartBuyerIdentityInput
    ) -> CartMergePayload:
        return await _merge_payload(
            info,
            update_buyer_identity(
                info.context.unit_of_work(),
                cart_id=str(cart_id),
                actor=info.context.principal,
                email=buyer_identity.email,
            ),
        )

    @strawberry.mutation(description="Merge a guest cart into the signed-in customer's cart.")
    async def cart_merge(self, info: Ctx, guest_cart_id: strawberry.ID) -> CartMergePayload:
        return await _merge_payload(
            info,
            merge_guest_cart(
                info.context.unit_of_work(),
                guest_cart_id=str(guest_cart_id),
                actor=info.context.principal,
            ),
        )

    @strawberry.mutation(description="Replace the cart's discount codes.")
    async def cart_discount_codes_update(
        self, info: Ctx, cart_id: strawberry.ID, discount_codes: list[str]
    ) -> CartPayload:
        return await _payload(
            info,
            changes.update_discount_codes(
                info.context.unit_of_work(),
                cart_id=str(cart_id),
                codes=discount_codes,
                actor=info.context.principal,
            ),
        )

    @strawberry.mutation(description="Replace the cart's gift card codes.")
    async def cart_gift_card_codes_update(
        self, info: Ctx, cart_id: strawberry.ID, gift_card_codes: list[str]
    ) -> CartPayload:
        return await _payload(
            info,
            changes.update_gift_card_codes(
                info.context.unit_of_work(),
                cart_id=str(cart_id),
                codes=gift_card_codes,
                actor=info.context.principal,
            ),
        )

    @strawberry.mutation(description="Set the shipping address (validated for its country).")
    async def checkout_shipping_address_update(
        self, info: Ctx, cart_id: strawberry.ID, shipping_address: MailingAddressInput
    ) -> CartPayload:
        raw = {k: getattr(shipping_address, k) for k in vars(shipping_address)}
        return await _payload(
            info,
            changes.update_shipping_address(
                info.context.unit_of_work(),
                cart_id=str(cart_id),
                address=raw,
                actor=info.context.principal,
            ),
        )

    @strawberry.mutation(description="Choose one of the cart's delivery options.")
    async def checkout_shipping_method_update(
        self, info: Ctx, cart_id: strawberry.ID, shipping_method_id: strawberry.ID
    ) -> CartPayload:
        return await _payload(
            info,
            changes.update_shipping_method(
                info.context.unit_of_work(),
                cart_id=str(cart_id),
                method_id=str(shipping_method_id),
                actor=info.context.principal,
            ),
        )

    @strawberry.mutation(description="Set the email the order confirmation goes to.")
    async def checkout_email_update(
        self, info: Ctx, cart_id: strawberry.ID, email: str
    ) -> CartPayload:
        return await _payload(
            info,
            changes.update_email(
                info.context.unit_of_work(),
                cart_id=str(cart_id),
                email=email,
                actor=info.context.principal,
            ),
        )

    @strawberry.mutation(
        description="Complete the checkout: reserve stock (all lines or none), consume codes "
        "and gift cards once, fix the totals. Same key, same result."
    )
    async def checkout_complete(
        self, info: Ctx, input: CheckoutCompleteInput
    ) -> CheckoutCompletePayload:
        try:
            payment = (
                PaymentChoice.of(input.payment.gateway, input.payment.token)
                if input.payment is not None
                else None
            )
            checkout_id = await complete_checkout(
                info.context.unit_of_work(),
                info.context.stock(),
                cart_id=str(input.cart_id),
                idempotency_key=input.idempotency_key,
                actor=info.context.principal,
                payment=payment,
                reservation_ttl=info.context.reservation_ttl,
                stale_after=timedelta(seconds=info.context.completion_timeout),
            )
        except CartError as exc:
            return CheckoutCompletePayload(
                checkout=None,
                cart=None,
                stock_shortages=[
                    StockShortage(
                        merchandise_id=strawberry.ID(s.variant_id),
                        requested=s.requested,
                        available=s.available,
                    )
                    for s in exc.shortages
                ],
                user_errors=_errors(exc),
            )
        return CheckoutCompletePayload(
            checkout=await load_checkout(info, checkout_id),
            cart=await _fresh(info, str(input.cart_id)),
            stock_shortages=[],
            user_errors=[],
        )
