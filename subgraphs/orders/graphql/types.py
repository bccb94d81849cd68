"""Orders GraphQL types. ``Order`` is this subgraph's entity (checkout references it, payments
extends it); ``Customer`` (accounts) gains ``orders``; ``ProductVariant`` (catalog) is referenced
from order lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.events import dumps
from shared.graphql.errors import PublicError
from shared.graphql.permissions import HasPermission, requires
from shared.graphql.types import Connection, Money
from shared.money import Money as MoneyValue
from shared.pagination import PageRequest, PaginationError
from subgraphs.orders.domain import order as domain
from subgraphs.orders.graphql.context import OrdersContext
from subgraphs.orders.graphql.dataloaders import OrderHistoryLoader, OrderStateLoader
from subgraphs.orders.repository import OrderListFilter, OrderReader
from subgraphs.orders.services.manage import can_read

OrderStatus = strawberry.enum(domain.OrderStatus, description="Where an order stands.")
PaymentStatus = strawberry.enum(domain.PaymentStatus, description="Where its payment stands.")
FulfillmentStatus = strawberry.enum(
    domain.FulfillmentStatus, description="allocate → pick → ship → deliver."
)
ReturnStatus = strawberry.enum(
    domain.ReturnStatus, description="request → approve/deny → receive → refund."
)
MANAGE_ORDERS = requires(HasPermission(Permission.MANAGE_ORDERS))


def _money(value: Any, currency: str) -> Money:
    return Money.from_value(MoneyValue(domain.money(value or 0), currency))


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


@strawberry.federation.type(keys=["id"], description="A product variant (catalog's entity).")
class ProductVariant:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ProductVariant:
        return cls(id=id)


@strawberry.type(description="A bought line, as it was priced at checkout.")
class OrderLine:
    variant: ProductVariant
    sku: str
    name: str
    quantity: int
    unit_price: Money
    total: Money = strawberry.field(description="Quantity × unit price, before discounts.")
    discount: Money


@strawberry.type(description="Where an order ships.")
class OrderAddress:
    first_name: str
    last_name: str
    company: str
    address1: str
    address2: str
    city: str
    province_code: str
    postal_code: str
    country_code: str
    phone: str


@strawberry.type(description="Units of a variant in a shipment or a return.")
class ItemQuantity:
    variant: ProductVariant
    quantity: int


@strawberry.type(description="A shipment: from one warehouse, with its tracking.")
class Fulfillment:
    id: strawberry.ID
    status: FulfillmentStatus  # type: ignore[valid-type]
    warehouse_id: strawberry.ID | None
    lines: list[ItemQuantity]
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    created_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None


@strawberry.type(description="A return of shipped units.")
class OrderReturn:
    id: strawberry.ID
    status: ReturnStatus  # type: ignore[valid-type]
    lines: list[ItemQuantity]
    reason: str
    refund_amount: Money | None
    requested_at: datetime


@strawberry.type(description="Money given back.")
class Refund:
    id: strawberry.ID
    amount: Money
    status: str = strawberry.field(description="PENDING, SUCCEEDED or FAILED.")
    reason: str
    requested_at: datetime


@strawberry.type(description="What the shopper must do to finish paying (e.g. 3-D Secure).")
class PaymentAction:
    type: str
    url: str | None


@strawberry.type(description="Why the payment failed; `retryable` means try again later.")
class PaymentFailure:
    code: str
    message: str


@strawberry.type(description="One event of the order's history (the audit trail).")
class OrderHistoryEntry:
    version: int
    type: str
    actor: str = strawberry.field(
        description="Who: `staff:<id>`, `customer:<id>`, `system:<subgraph>`."
    )
    at: datetime
    data: str = strawberry.field(description="The event's data as JSON.")


@strawberry.type(description="A staff note on an order.")
class OrderNote:
    text: str
    actor: str
    at: datetime


def _lines(items: list[dict[str, Any]]) -> list[ItemQuantity]:
    return [
        ItemQuantity(
            variant=ProductVariant(id=strawberry.ID(str(x["variant_id"]))),
            quantity=int(x["quantity"]),
        )
        for x in items
    ]


@strawberry.federation.type(keys=["id"], description="An order: what was bought, paid, shipped.")
class Order:
    id: strawberry.ID
    state: strawberry.Private[dict[str, Any]]

    @classmethod
    async def resolve_reference(
        cls, info: Info[OrdersContext, None], id: strawberry.ID
    ) -> Order | None:
        """Staff and the order's customer only: a guest's token is never in a reference."""
        return await load_order(info, str(id), None)

    @property
    def _cur(self) -> str:
        return str(self.state.get("currency") or "EUR")

    @strawberry.field(description="The human order number, e.g. 1001.")
    def number(self) -> str:
        return str(self.state["number"])

    @strawberry.field
    def status(self) -> OrderStatus:  # type: ignore[valid-type]
        return domain.OrderStatus(self.state["status"])

    @strawberry.field
    def payment_status(self) -> PaymentStatus:  # type: ignore[valid-type]
        return domain.PaymentStatus(self.state["payment_status"])

    @strawberry.field
    def email(self) -> str:
        return str(self.state.get("email") or "")

    @strawberry.field
    def customer_id(self) -> strawberry.ID | None:
        value = self.state.get("customer_id")
        return strawberry.ID(str(value)) if value else None

    @strawberry.field
    def created_at(self) -> datetime:
        placed = _time(self.state.get("placed_at"))
        assert placed is not None
        return placed

    @strawberry.field(description="When the payment was captured (null until paid).")
    def paid_at(self) -> datetime | None:
        return _time(self.state.get("paid_at"))

    @strawberry.field
    def updated_at(self) -> datetime | None:
        return _time(self.state.get("updated_at"))

    @strawberry.field
    def lines(self) -> list[OrderLine]:
        cur = self._cur
        return [
            OrderLine(
                variant=ProductVariant(id=strawberry.ID(str(x["variant_id"]))),
                sku=str(x.get("sku") or ""),
                name=str(x.get("name") or ""),
                quantity=int(x["quantity"]),
                unit_price=_money(x["unit_price"], cur),
                total=_money(x["total"], cur),
                discount=_money(x.get("discount"), cur),
            )
            for x in self.state["lines"]
        ]

    @strawberry.field
    def subtotal(self) -> Money:
        return _money(self.state.get("subtotal"), self._cur)

    @strawberry.field
    def shipping(self) -> Money:
        return _money(self.state.get("shipping_amount"), self._cur)

    @strawberry.field
    def tax(self) -> Money:
        return _money(self.state.get("tax"), self._cur)

    @strawberry.field
    def prices_include_tax(self) -> bool:
        return bool(self.state.get("prices_include_tax"))

    @strawberry.field
    def discounts(self) -> Money:
        return _money(self.state.get("discounts"), self._cur)

    @strawberry.field(description="Paid by gift cards.")
    def gift_cards(self) -> Money:
        return _money(self.state.get("gift_cards"), self._cur)

    @strawberry.field(description="What the payment method is charged.")
    def total(self) -> Money:
        return _money(self.state.get("total"), self._cur)

    @strawberry.field
    def paid(self) -> Money:
        return _money(self.state.get("paid_amount"), self._cur)

    @strawberry.field
    def refunded(self) -> Money:
        return _money(self.state.get("refunded_amount"), self._cur)

    @strawberry.field
    def shipping_address(self) -> OrderAddress:
        a = self.state.get("shipping_address") or {}
        return OrderAddress(
            **{
                name: str(a.get(name) or "")
                for name in (
                    "first_name",
                    "last_name",
                    "company",
                    "address1",
                    "address2",
                    "city",
                    "province_code",
                    "postal_code",
                    "country_code",
                    "phone",
                )
            }
        )

    @strawberry.field
    def shipping_method_name(self) -> str:
        return str((self.state.get("shipping_method") or {}).get("name") or "")

    @strawberry.field
    def fulfillments(self) -> list[Fulfillment]:
        return [
            Fulfillment(
                id=strawberry.ID(f["id"]),
                status=domain.FulfillmentStatus(f["status"]),
                warehouse_id=strawberry.ID(f["warehouse_id"]) if f.get("warehouse_id") else None,
                lines=_lines(f["lines"]),
                carrier=f.get("carrier"),
                tracking_number=f.get("tracking_number"),
                tracking_url=f.get("tracking_url"),
                created_at=_time(f["created_at"]) or datetime.min,
                shipped_at=_time(f.get("shipped_at")),
                delivered_at=_time(f.get("delivered_at")),
            )
            for f in self.state["fulfillments"]
        ]

    @strawberry.field
    def returns(self) -> list[OrderReturn]:
        return [
            OrderReturn(
                id=strawberry.ID(r["id"]),
                status=domain.ReturnStatus(r["status"]),
                lines=_lines(r["lines"]),
                reason=str(r.get("reason") or ""),
                refund_amount=_money(r["refund_amount"], self._cur)
                if r.get("refund_amount")
                else None,
                requested_at=_time(r["requested_at"]) or datetime.min,
            )
            for r in self.state["returns"]
        ]

    @strawberry.field
    def refunds(self) -> list[Refund]:
        return [
            Refund(
                id=strawberry.ID(r["id"]),
                amount=_money(r["amount"], self._cur),
                status=str(r["status"]),
                reason=str(r.get("reason") or ""),
                requested_at=_time(r["requested_at"]) or datetime.min,
            )
            for r in self.state["refunds"]
        ]

    @strawberry.field(description="Set while the payment waits for the shopper (3-D Secure).")
    def payment_action(self) -> PaymentAction | None:
        payment = self.state.get("payment") or {}
        if self.state["payment_status"] != domain.PaymentStatus.ACTION_REQUIRED:
            return None
        return PaymentAction(
            type=str(payment.get("action_type") or ""), url=payment.get("action_url")
        )

    @strawberry.field(description="Why the payment failed (the order is then cancelled).")
    def payment_failure(self) -> PaymentFailure | None:
        code = self.state.get("payment_code")
        if not code:
            return None
        return PaymentFailure(code=str(code), message=str(self.state.get("payment_message") or ""))

    @strawberry.field(description="PAYMENT_FAILED, CUSTOMER or STAFF when cancelled.")
    def cancel_reason(self) -> str | None:
        value = self.state.get("cancel_reason")
        return str(value) if value else None

    @strawberry.field(description="Whether the order may still be cancelled (nothing shipped).")
    def can_cancel(self) -> bool:
        return domain.Order(id=str(self.id), state=self.state, version=0).can_cancel()

    @strawberry.field(
        extensions=MANAGE_ORDERS,
        description="Set when the stock could not be committed after payment: staff must act.",
    )
    def stock_issue(self) -> str | None:
        value = self.state.get("stock_issue")
        return str(value) if value else None

    @strawberry.field(extensions=MANAGE_ORDERS, description="Staff notes.")
    def notes(self) -> list[OrderNote]:
        return [
            OrderNote(text=n["text"], actor=n["actor"], at=_time(n["at"]) or datetime.min)
            for n in self.state["notes"]
        ]

    @strawberry.field(
        extensions=MANAGE_ORDERS, description="Every event of the order (the audit trail)."
    )
    async def history(self, info: Info[OrdersContext, None]) -> list[OrderHistoryEntry]:
        events = await info.context.loaders.get(OrderHistoryLoader).load(str(self.id))
        return [
            OrderHistoryEntry(
                version=e.version, type=e.type, actor=e.actor, at=e.at, data=dumps(dict(e.data))
            )
            for e in events
        ]


async def load_order(
    info: Info[OrdersContext, None], order_id: str, token: str | None
) -> Order | None:
    state = await info.context.loaders.get(OrderStateLoader).load(order_id)
    if state is None or not can_read(state, info.context.principal, token):
        return None
    return Order(id=strawberry.ID(order_id), state=state)


@strawberry.input(description="Narrow the staff order list.")
class OrderFilter:
    status: OrderStatus | None = None  # type: ignore[valid-type]
    payment_status: PaymentStatus | None = None  # type: ignore[valid-type]
    customer_id: strawberry.ID | None = None
    search: str | None = strawberry.field(default=None, description="An order number or an email.")


async def order_page(
    info: Info[OrdersContext, None],
    first: int | None,
    after: str | None,
    where: OrderListFilter,
) -> Connection[Order]:
    try:
        request = PageRequest.parse(first, after)
        page, total = await info.context.db().read(lambda s: OrderReader(s).page(request, where))
    except PaginationError as exc:
        raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
    return Connection.from_page(
        page, lambda state: Order(id=strawberry.ID(state["id"]), state=state), total_count=total
    )


@strawberry.federation.type(keys=["id"], description="A customer (accounts' entity).")
class Customer:
    id: strawberry.ID

    @strawberry.field(description="The customer's orders, newest first (only they see them).")
    async def orders(
        self, info: Info[OrdersContext, None], first: int | None = 10, after: str | None = None
    ) -> Connection[Order] | None:
        principal = info.context.principal
        if not (principal.is_customer_id(str(self.id)) or principal.has(Permission.MANAGE_ORDERS)):
            return None
        return await order_page(info, first, after, OrderListFilter(customer_id=str(self.id)))

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Customer:
        return cls(id=id)
