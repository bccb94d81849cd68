"""Orders mutations: the customer's (cancel, address, return — a guest passes the order's token)
and staff's (fulfil, returns, refunds, notes). Each returns ``{ order, userErrors }``."""

from __future__ import annotations

from collections.abc import Awaitable

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.arguments import IdempotencyKey
from shared.graphql.permissions import HasPermission, requires
from shared.graphql.types import UserError
from subgraphs.orders.domain.errors import OrderError, OrderErrorCode
from subgraphs.orders.domain.order import FulfillmentStatus
from subgraphs.orders.graphql.context import OrdersContext
from subgraphs.orders.graphql.dataloaders import OrderStateLoader
from subgraphs.orders.graphql.types import Order, load_order
from subgraphs.orders.services import manage

Ctx = Info[OrdersContext, None]
MANAGE_ORDERS = requires(HasPermission(Permission.MANAGE_ORDERS))
HANDLE_PAYMENTS = requires(HasPermission(Permission.HANDLE_PAYMENTS))
OrderErrorCodeEnum = strawberry.enum(
    OrderErrorCode, name="OrderErrorCode", description="Why an order mutation refused."
)


@strawberry.type(description="A problem with an order mutation's input.")
class OrderUserError(UserError):
    code: OrderErrorCodeEnum  # type: ignore[valid-type]

    @classmethod
    def of(cls, error: OrderError) -> OrderUserError:
        return cls(
            field=error.field.split(".") if error.field else None,
            message=error.message,
            code=error.code,
        )


@strawberry.type(description="The order after the change, or why it did not change.")
class OrderPayload:
    order: Order | None
    user_errors: list[OrderUserError]


@strawberry.type(description="The order with the return it now holds.")
class ReturnRequestPayload:
    order: Order | None
    return_id: strawberry.ID | None
    user_errors: list[OrderUserError]


@strawberry.input(description="Units of a variant.")
class ItemQuantityInput:
    variant_id: strawberry.ID
    quantity: int


@strawberry.input(description="A shipping address (same country as ordered).")
class OrderAddressInput:
    first_name: str
    last_name: str
    address1: str
    city: str
    postal_code: str
    country_code: str
    address2: str = ""
    company: str = ""
    province_code: str = ""
    phone: str = ""


def _access(info: Ctx, token: str | None) -> manage.Access:
    return manage.Access(info.context.principal, token)


async def _reload(info: Ctx, order_id: str, token: str | None) -> Order | None:
    info.context.loaders.get(OrderStateLoader).clear(order_id)
    return await load_order(info, order_id, token)


async def _payload(
    info: Ctx, order_id: str, token: str | None, work: Awaitable[object]
) -> OrderPayload:
    try:
        await work
    except OrderError as exc:
        return OrderPayload(order=None, user_errors=[OrderUserError.of(exc)])
    return OrderPayload(order=await _reload(info, order_id, token), user_errors=[])


def _items(items: list[ItemQuantityInput] | None) -> list[tuple[str, int]] | None:
    if items is None:
        return None
    return [(str(x.variant_id), x.quantity) for x in items]


async def _advance(
    info: Ctx,
    order_id: strawberry.ID,
    fulfillment_id: strawberry.ID,
    to: FulfillmentStatus,
    tracking: str | None,
) -> OrderPayload:
    return await _payload(
        info,
        str(order_id),
        None,
        manage.advance_fulfillment(
            info.context.unit_of_work(),
            str(order_id),
            str(fulfillment_id),
            _access(info, None),
            to,
            info.context.shipping_carrier(),
            tracking_number=tracking,
        ),
    )


@strawberry.type(name="Mutation")
class OrdersMutation:
    @strawberry.mutation(
        description="Cancel an order before anything shipped (its customer, a guest with the "
        "order's token, or staff). Stock goes back, the payment is voided or refunded."
    )
    async def order_cancel(
        self, info: Ctx, order_id: strawberry.ID, token: str | None = None
    ) -> OrderPayload:
        return await _payload(
            info,
            str(order_id),
            token,
            manage.cancel_order(info.context.unit_of_work(), str(order_id), _access(info, token)),
        )

    @strawberry.mutation(description="Change where an order ships, before anything shipped.")
    async def order_shipping_address_update(
        self,
        info: Ctx,
        order_id: strawberry.ID,
        address: OrderAddressInput,
        token: str | None = None,
    ) -> OrderPayload:
        return await _payload(
            info,
            str(order_id),
            token,
            manage.change_address(
                info.context.unit_of_work(), str(order_id), _access(info, token), vars(address)
            ),
        )

    @strawberry.mutation(description="Ask to return shipped units.")
    async def return_request(
        self,
        info: Ctx,
        order_id: strawberry.ID,
        lines: list[ItemQuantityInput],
        reason: str = "",
        token: str | None = None,
    ) -> ReturnRequestPayload:
        try:
            return_id = await manage.request_return(
                info.context.unit_of_work(),
                str(order_id),
                _access(info, token),
                _items(lines) or [],
                reason,
            )
        except OrderError as exc:
            return ReturnRequestPayload(
                order=None, return_id=None, user_errors=[OrderUserError.of(exc)]
            )
        return ReturnRequestPayload(
            order=await _reload(info, str(order_id), token),
            return_id=strawberry.ID(return_id),
            user_errors=[],
        )

    @strawberry.mutation(
        extensions=MANAGE_ORDERS,
        description="Create shipments: the given lines from one warehouse, or (no lines) every "
        "unfulfilled unit split per warehouse by the stock allocations.",
    )
    async def fulfillment_create(
        self,
        info: Ctx,
        order_id: strawberry.ID,
        lines: list[ItemQuantityInput] | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> OrderPayload:
        return await _payload(
            info,
            str(order_id),
            None,
            manage.create_fulfillments(
                info.context.unit_of_work(),
                str(order_id),
                _access(info, None),
                lines=_items(lines),
                warehouse_id=str(warehouse_id) if warehouse_id else None,
            ),
        )

    @strawberry.mutation(extensions=MANAGE_ORDERS, description="The units are picked and packed.")
    async def fulfillment_pick(
        self, info: Ctx, order_id: strawberry.ID, fulfillment_id: strawberry.ID
    ) -> OrderPayload:
        return await _advance(info, order_id, fulfillment_id, FulfillmentStatus.PICKED, None)

    @strawberry.mutation(
        extensions=MANAGE_ORDERS,
        description="Hand the parcel to the carrier (its tracking number, or the carrier's).",
    )
    async def fulfillment_ship(
        self,
        info: Ctx,
        order_id: strawberry.ID,
        fulfillment_id: strawberry.ID,
        tracking_number: str | None = None,
    ) -> OrderPayload:
        return await _advance(
            info, order_id, fulfillment_id, FulfillmentStatus.SHIPPED, tracking_number
        )

    @strawberry.mutation(extensions=MANAGE_ORDERS, description="The carrier delivered the parcel.")
    async def fulfillment_deliver(
        self, info: Ctx, order_id: strawberry.ID, fulfillment_id: strawberry.ID
    ) -> OrderPayload:
        return await _advance(info, order_id, fulfillment_id, FulfillmentStatus.DELIVERED, None)

    @strawberry.mutation(extensions=MANAGE_ORDERS, description="Approve a requested return.")
    async def return_approve(
        self, info: Ctx, order_id: strawberry.ID, return_id: strawberry.ID, note: str = ""
    ) -> OrderPayload:
        return await _payload(
            info,
            str(order_id),
            None,
            manage.decide_return(
                info.context.unit_of_work(),
                str(order_id),
                str(return_id),
                _access(info, None),
                approve=True,
                note=note,
            ),
        )

    @strawberry.mutation(extensions=MANAGE_ORDERS, description="Deny a requested return.")
    async def return_deny(
        self, info: Ctx, order_id: strawberry.ID, return_id: strawberry.ID, note: str = ""
    ) -> OrderPayload:
        return await _payload(
            info,
            str(order_id),
            None,
            manage.decide_return(
                info.context.unit_of_work(),
                str(order_id),
                str(return_id),
                _access(info, None),
                approve=False,
                note=note,
            ),
        )

    @strawberry.mutation(
        extensions=MANAGE_ORDERS,
        description="The returned units arrived: refund their value (through payments) and "
        "restock them if `restock`.",
    )
    async def return_receive(
        self, info: Ctx, order_id: strawberry.ID, return_id: strawberry.ID, restock: bool = True
    ) -> OrderPayload:
        return await _payload(
            info,
            str(order_id),
            None,
            manage.receive_return(
                info.context.unit_of_work(),
                str(order_id),
                str(return_id),
                _access(info, None),
                restock=restock,
            ),
        )

    @strawberry.mutation(
        extensions=HANDLE_PAYMENTS,
        description="Refund part or all of what was paid (payments refunds through the provider).",
    )
    async def order_refund(
        self,
        info: Ctx,
        order_id: strawberry.ID,
        amount: str,
        reason: str = "",
        idempotency_key: IdempotencyKey = None,
    ) -> OrderPayload:
        return await _payload(
            info,
            str(order_id),
            None,
            manage.refund_order(
                info.context.unit_of_work(),
                str(order_id),
                _access(info, None),
                amount=amount,
                reason=reason,
                idempotency_key=idempotency_key,
            ),
        )

    @strawberry.mutation(extensions=MANAGE_ORDERS, description="Add a staff note to the order.")
    async def order_note_add(self, info: Ctx, order_id: strawberry.ID, note: str) -> OrderPayload:
        return await _payload(
            info,
            str(order_id),
            None,
            manage.add_note(info.context.unit_of_work(), str(order_id), _access(info, None), note),
        )
