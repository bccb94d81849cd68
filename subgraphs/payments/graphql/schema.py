"""The payments subgraph's schema: queries, the shopper's 3-D Secure confirmation."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.errors import PublicError
from shared.graphql.permissions import HasPermission, requires
from shared.graphql.schema import build_schema
from shared.graphql.types import Connection, UserError
from shared.pagination import PageRequest, PaginationError
from shared.settings import Settings
from subgraphs.payments.graphql.context import PaymentsContext
from subgraphs.payments.graphql.types import (
    Order,
    Payment,
    PaymentByIdLoader,
    PaymentGateway,
    PaymentStatus,
    can_read,
)
from subgraphs.payments.repository import PaymentReader
from subgraphs.payments.services.webhooks import confirm_payment

Ctx = Info[PaymentsContext, None]
HANDLE_PAYMENTS = requires(HasPermission(Permission.HANDLE_PAYMENTS))


@strawberry.type(name="Query")
class PaymentsQuery:
    @strawberry.field(description="A payment: its customer and staff with HANDLE_PAYMENTS.")
    async def payment(self, info: Ctx, id: strawberry.ID) -> Payment | None:
        state = await info.context.loaders.get(PaymentByIdLoader).load(str(id))
        if state is None or not can_read(state, info.context.principal):
            return None
        return Payment(id=id, state=state)

    @strawberry.field(extensions=HANDLE_PAYMENTS, description="Every payment, newest first.")
    async def payments(
        self,
        info: Ctx,
        first: int | None = 20,
        after: str | None = None,
        status: PaymentStatus | None = None,  # type: ignore[valid-type]
    ) -> Connection[Payment]:
        try:
            request = PageRequest.parse(first, after)
            page = await info.context.db().read(
                lambda s: PaymentReader(s).page(request, str(status.value) if status else None)  # type: ignore[attr-defined]
            )
        except PaginationError as exc:
            raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
        return Connection.from_page(page, lambda s: Payment(id=strawberry.ID(s["id"]), state=s))

    @strawberry.field(description="The payment methods this shop takes.")
    def payment_gateways(self, info: Ctx) -> list[PaymentGateway]:
        return [
            PaymentGateway(name=name, publishable_key=info.context.publishable_keys.get(name))
            for name in sorted(info.context.providers)
        ]


@strawberry.type(description="A problem with a payment mutation's input.")
class PaymentUserError(UserError):
    code: str = strawberry.field(description="NOT_FOUND.")


@strawberry.type(description="The payment after the confirmation.")
class PaymentConfirmPayload:
    payment: Payment | None
    user_errors: list[PaymentUserError]


@strawberry.type(name="Mutation")
class PaymentsMutation:
    @strawberry.mutation(
        description="The shopper finished 3-D Secure (Stripe: after stripe.js handleNextAction; "
        "the simulator: the approve button). The order's customer, or a guest with its token."
    )
    async def payment_confirm(
        self, info: Ctx, order_id: strawberry.ID, token: str | None = None
    ) -> PaymentConfirmPayload:
        payment = await confirm_payment(
            info.context.unit_of_work(),
            info.context.providers,
            order_id=str(order_id),
            actor=info.context.principal,
            order_token=token,
            at=datetime.now(UTC),
        )
        if payment is None:
            return PaymentConfirmPayload(
                payment=None,
                user_errors=[
                    PaymentUserError(
                        field=["orderId"], message="No such payment.", code="NOT_FOUND"
                    )
                ],
            )
        if info.context.wake is not None:
            info.context.wake()
        return PaymentConfirmPayload(
            payment=Payment(id=strawberry.ID(payment.id), state=payment.state), user_errors=[]
        )


def create_schema(settings: Settings) -> strawberry.federation.Schema:
    return build_schema(
        settings=settings, query=PaymentsQuery, mutation=PaymentsMutation, types=[Order, Payment]
    )
