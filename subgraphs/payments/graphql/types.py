"""Payments GraphQL types; ``Order`` (orders' entity) gains ``payments``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from shared.auth import Permission, Principal
from shared.events import dumps
from shared.graphql.dataloaders import DatabaseLoader
from shared.graphql.types import Money
from shared.money import Money as MoneyValue
from subgraphs.payments.domain import payment as domain
from subgraphs.payments.domain.payment import Recorded
from subgraphs.payments.graphql.context import PaymentsContext
from subgraphs.payments.repository import PaymentReader

PaymentStatus = strawberry.enum(
    domain.PaymentState, name="PaymentState", description="Where a payment stands."
)


class PaymentByOrderLoader(DatabaseLoader[str, dict[str, Any] | None]):
    async def batch_load_fn(self, keys: Any) -> list[dict[str, Any] | None]:
        found = await self.database.read(lambda s: PaymentReader(s).by_orders(keys))
        return [found.get(k) for k in keys]


class PaymentByIdLoader(DatabaseLoader[str, dict[str, Any] | None]):
    async def batch_load_fn(self, keys: Any) -> list[dict[str, Any] | None]:
        found = await self.database.read(lambda s: PaymentReader(s).states(keys))
        return [found.get(k) for k in keys]


class PaymentHistoryLoader(DatabaseLoader[str, list[Recorded]]):
    async def batch_load_fn(self, keys: Any) -> list[list[Recorded]]:
        def read(session: Any) -> list[list[Recorded]]:
            reader = PaymentReader(session)
            return [reader.history(k) for k in keys]

        return await self.database.read(read)


def can_read(state: dict[str, Any], principal: Principal) -> bool:
    if principal.has(Permission.HANDLE_PAYMENTS):
        return True
    customer_id = state.get("customer_id")
    return bool(customer_id) and principal.is_customer_id(str(customer_id))


def _money(value: Any, currency: str) -> Money:
    return Money.from_value(MoneyValue(domain.money(value or 0), currency))


@strawberry.type(description="A refund of a payment.")
class PaymentRefund:
    id: strawberry.ID
    amount: Money
    status: str = strawberry.field(description="PENDING, SUCCEEDED or FAILED.")
    reason: str


@strawberry.type(description="A chargeback opened by the cardholder's bank.")
class Dispute:
    id: strawberry.ID
    amount: str
    reason: str | None
    status: str


@strawberry.type(description="One event of the payment's history (event-sourced).")
class PaymentEvent:
    version: int
    type: str
    at: datetime
    data: str


@strawberry.type(description="A payment of an order: only provider references, never card data.")
class Payment:
    id: strawberry.ID
    state: strawberry.Private[dict[str, Any]]

    @property
    def _cur(self) -> str:
        return str(self.state.get("currency") or "EUR")

    @strawberry.field
    def order_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.state["order_id"]))

    @strawberry.field
    def gateway(self) -> str:
        return str(self.state.get("gateway") or "")

    @strawberry.field
    def status(self) -> PaymentStatus:  # type: ignore[valid-type]
        return domain.PaymentState(self.state["status"])

    @strawberry.field
    def amount(self) -> Money:
        return _money(self.state.get("amount"), self._cur)

    @strawberry.field
    def captured(self) -> Money:
        return _money(self.state.get("captured"), self._cur)

    @strawberry.field
    def refunded(self) -> Money:
        return _money(self.state.get("refunded"), self._cur)

    @strawberry.field(description="The provider's id of the payment (e.g. a PaymentIntent).")
    def provider_reference(self) -> str | None:
        value = self.state.get("reference")
        return str(value) if value else None

    @strawberry.field(description="Set while the shopper must finish 3-D Secure.")
    def action_url(self) -> str | None:
        value = self.state.get("action_url")
        return str(value) if value else None

    @strawberry.field
    def failure_code(self) -> str | None:
        value = self.state.get("failure_code")
        return str(value) if value else None

    @strawberry.field
    def failure_message(self) -> str | None:
        value = self.state.get("failure_message")
        return str(value) if value else None

    @strawberry.field
    def refunds(self) -> list[PaymentRefund]:
        return [
            PaymentRefund(
                id=strawberry.ID(str(r["id"])),
                amount=_money(r["amount"], self._cur),
                status=str(r["status"]),
                reason=str(r.get("reason") or ""),
            )
            for r in self.state["refunds"]
        ]

    @strawberry.field
    def disputes(self) -> list[Dispute]:
        return [
            Dispute(
                id=strawberry.ID(str(d["id"])),
                amount=str(d.get("amount") or ""),
                reason=d.get("reason"),
                status=str(d.get("status") or ""),
            )
            for d in self.state["disputes"]
        ]

    @strawberry.field(description="Every event of the payment.")
    async def history(self, info: Info[PaymentsContext, None]) -> list[PaymentEvent]:
        events = await info.context.loaders.get(PaymentHistoryLoader).load(str(self.id))
        return [
            PaymentEvent(version=e.version, type=e.type, at=e.at, data=dumps(_public(e.data)))
            for e in events
        ]


def _public(data: Any) -> dict[str, Any]:
    """Event data without the provider token and personal fields."""
    return {k: v for k, v in dict(data).items() if k not in ("token", "email", "token_hash")}


@strawberry.federation.type(keys=["id"], description="An order (the orders subgraph's entity).")
class Order:
    id: strawberry.ID

    @strawberry.field(
        description="The order's payments (its customer and staff with HANDLE_PAYMENTS)."
    )
    async def payments(self, info: Info[PaymentsContext, None]) -> list[Payment]:
        state = await info.context.loaders.get(PaymentByOrderLoader).load(str(self.id))
        if state is None or not can_read(state, info.context.principal):
            return []
        return [Payment(id=strawberry.ID(state["id"]), state=state)]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Order:
        return cls(id=id)


@strawberry.type(description="A payment method the storefront can offer.")
class PaymentGateway:
    name: str
    publishable_key: str | None = strawberry.field(
        description="Stripe's publishable key (Elements)."
    )
