"""The payment processor: drives payments through their provider, outside any transaction.

Consumers only record what must happen (PaymentRequested, CancelRequested, RefundRequested —
``work`` on the payment). This task claims payments with work due (a lease, so replicas and a
restarted process never drive one payment twice at once), calls the provider with an
idempotency key derived from the payment and the step, and records the answer with the
integration events in one transaction. A crash between the call and the record leaves the work
in place: after the lease, the same call with the same key returns the provider's first answer —
never a second charge.

authorize → (3-D Secure: wait for ``paymentConfirm``/webhook) → capture; capture refused → the
authorization is voided and the payment fails; provider down at authorize → PaymentFailed
PROVIDER_UNAVAILABLE (retryable: "try again later"); down later (capture, void, refund) → the step
is retried with backoff, ``MAX_ATTEMPTS`` times.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from subgraphs.payments.domain.events import (
    PaymentActionRequired,
    PaymentAuthorized,
    PaymentCaptured,
    PaymentFailed,
    PaymentVoided,
    RefundFailed,
    RefundSucceeded,
)
from subgraphs.payments.domain.payment import Payment, PaymentState, Work, money
from subgraphs.payments.domain.provider import (
    Authorization,
    DeclineCode,
    FraudCheck,
    PaymentDeclined,
    PaymentProvider,
    PaymentRequest,
    ProviderUnavailable,
)
from subgraphs.payments.uow import PaymentsUnitOfWork

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
UNAVAILABLE_MESSAGE = "The payment provider is unavailable; your cart is kept — try again later."


def utc_now() -> datetime:
    return datetime.now(UTC)


def record_authorization(
    uow: PaymentsUnitOfWork, payment: Payment, result: Authorization, at: datetime
) -> None:
    s = payment.state
    if result.requires_action:
        payment.record(
            "PaymentActionRequired",
            {"reference": result.reference, "action_url": result.action_url},
            at,
        )
        uow.record(
            PaymentActionRequired(
                payment_id=payment.id,
                order_id=s["order_id"],
                action_type="THREE_D_SECURE",
                action_url=result.action_url,
            )
        )
        return
    payment.record("PaymentAuthorized", {"reference": result.reference}, at)
    uow.record(
        PaymentAuthorized(
            payment_id=payment.id,
            order_id=s["order_id"],
            amount=str(money(s["amount"])),
            currency=s["currency"],
            gateway=s["gateway"],
        )
    )


def record_failure(
    uow: PaymentsUnitOfWork, payment: Payment, code: DeclineCode, message: str, at: datetime
) -> None:
    payment.record("PaymentFailed", {"code": code.value, "message": message}, at)
    uow.record(
        PaymentFailed(
            payment_id=payment.id,
            order_id=payment.state["order_id"],
            code=code.value,
            message=message,
            retryable=code == DeclineCode.PROVIDER_UNAVAILABLE,
        )
    )


def _attempt_failed(payment: Payment, work: Work, error: str, at: datetime) -> None:
    payment.record("AttemptFailed", {"work": work.value, "error": error[:200]}, at)


class PaymentProcessor:
    def __init__(
        self,
        uow_factory: Callable[[], PaymentsUnitOfWork],
        providers: Mapping[str, PaymentProvider],
        fraud: FraudCheck,
        *,
        interval: float = 1.0,
        lease: timedelta = timedelta(seconds=60),
        batch_size: int = 20,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.uow_factory = uow_factory
        self.providers = providers
        self.fraud = fraud
        self.interval = interval
        self.lease = lease
        self.batch_size = batch_size
        self.clock = clock
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    def provider(self, gateway: str) -> PaymentProvider | None:
        return self.providers.get(gateway)

    async def run_once(self) -> int:
        async with self.uow_factory() as uow:
            ids = await uow.payments.claim_work(self.clock(), self.lease, self.batch_size)
            await uow.commit()
        # Payments are independent: drive the claimed ones concurrently (provider calls overlap).
        await asyncio.gather(*(self._guarded(payment_id) for payment_id in ids))
        return len(ids)

    async def _guarded(self, payment_id: str) -> None:
        try:
            await self.process(payment_id)
        except Exception:  # one payment's bug must not stop the others
            log.exception("payment step failed", extra={"payment_id": payment_id})
            async with self.uow_factory() as uow:
                await uow.payments.release(
                    payment_id, retry_at=self.clock() + timedelta(seconds=30)
                )
                await uow.commit()

    async def drain(self, rounds: int = 20) -> None:
        """Run until no work is due (tests, commands)."""
        for _ in range(rounds):
            if await self.run_once() == 0:
                return

    async def process(self, payment_id: str) -> None:
        """Do the payment's due steps, one provider call and one record at a time."""
        retry_at: datetime | None = None
        for _ in range(6):  # authorize → capture → … at most a few steps per claim
            async with self.uow_factory() as uow:
                payment = await uow.payments.load(payment_id)
                await uow.commit()
            work = payment.work
            if work is None or (
                payment.status == PaymentState.ACTION_REQUIRED and work != Work.VOID
            ):
                break
            try:
                done, retry_at = await self._step(payment, work)
            except IntegrityError:  # the payment changed meanwhile: look again soon
                retry_at = self.clock() + timedelta(seconds=1)
                break
            if not done:
                break
        async with self.uow_factory() as uow:
            await uow.payments.release(payment_id, retry_at=retry_at)
            await uow.commit()

    async def _apply(
        self,
        payment_id: str,
        version: int,
        change: Callable[[PaymentsUnitOfWork, Payment, datetime], None],
    ) -> None:
        async with self.uow_factory() as uow:
            payment = await uow.payments.load(payment_id)
            if payment.version != version:
                raise IntegrityError("payment changed", None, Exception("version"))
            at = self.clock()
            change(uow, payment, at)
            await uow.payments.save(payment, now=at)
            await uow.commit()

    async def _step(self, payment: Payment, work: Work) -> tuple[bool, datetime | None]:
        """(continue with the next step?, retry at)."""
        s = payment.state
        provider = self.provider(str(s.get("gateway")))
        if provider is None:
            await self._apply(
                payment.id,
                payment.version,
                lambda uow, p, at: record_failure(
                    uow,
                    p,
                    DeclineCode.INVALID_TOKEN,
                    f"Unknown payment gateway {s.get('gateway')!r}.",
                    at,
                ),
            )
            return False, None
        try:
            if work == Work.AUTHORIZE:
                await self._authorize(payment, provider)
            elif work == Work.CAPTURE:
                await self._capture(payment, provider)
            elif work == Work.VOID:
                await provider.void(str(s.get("reference")), idempotency_key=f"{payment.id}:void")
                await self._apply(payment.id, payment.version, self._voided)
            else:
                await self._refund(payment, provider)
        except ProviderUnavailable as exc:
            if work == Work.AUTHORIZE:
                await self._apply(
                    payment.id,
                    payment.version,
                    lambda uow, p, at: record_failure(
                        uow, p, DeclineCode.PROVIDER_UNAVAILABLE, UNAVAILABLE_MESSAGE, at
                    ),
                )
                return False, None
            return False, await self._later(payment, work, str(exc))
        return True, None

    async def _later(self, payment: Payment, work: Work, error: str) -> datetime | None:
        attempts = int(payment.state.get("attempts") or 0) + 1
        if attempts >= MAX_ATTEMPTS:
            log.error("provider step keeps failing", extra={"payment_id": payment.id, "work": work})
        await self._apply(
            payment.id,
            payment.version,
            lambda uow, p, at: _attempt_failed(p, work, error, at),
        )
        return self.clock() + timedelta(seconds=min(300, 2**attempts))

    async def _authorize(self, payment: Payment, provider: PaymentProvider) -> None:
        s = payment.state
        request = PaymentRequest(
            payment_id=payment.id,
            order_id=s["order_id"],
            amount=money(s["amount"]),
            currency=s["currency"],
            token=str(s.get("token") or ""),
            email=str(s.get("email") or ""),
        )
        try:
            await self.fraud.check(request)
            result = await provider.authorize(request, idempotency_key=f"{payment.id}:authorize")
        except PaymentDeclined as exc:
            declined = exc
            await self._apply(
                payment.id,
                payment.version,
                lambda uow, p, at: record_failure(uow, p, declined.code, declined.message, at),
            )
            return
        await self._apply(
            payment.id, payment.version, lambda uow, p, at: record_authorization(uow, p, result, at)
        )

    async def _capture(self, payment: Payment, provider: PaymentProvider) -> None:
        s = payment.state
        reference = str(s.get("reference"))
        try:
            charge = await provider.capture(
                reference, money(s["amount"]), idempotency_key=f"{payment.id}:capture"
            )
        except PaymentDeclined as exc:
            declined = exc
            with contextlib.suppress(ProviderUnavailable, PaymentDeclined):
                await provider.void(reference, idempotency_key=f"{payment.id}:void")
            await self._apply(
                payment.id,
                payment.version,
                lambda uow, p, at: record_failure(
                    uow, p, DeclineCode.CAPTURE_FAILED, declined.message, at
                ),
            )
            return

        def captured(uow: PaymentsUnitOfWork, p: Payment, at: datetime) -> None:
            p.record(
                "PaymentCaptured",
                {"amount": str(charge.amount), "capture_reference": charge.reference},
                at,
            )
            uow.record(
                PaymentCaptured(
                    payment_id=p.id,
                    order_id=p.state["order_id"],
                    amount=str(money(charge.amount)),
                    currency=p.state["currency"],
                    gateway=p.state["gateway"],
                    provider_reference=charge.reference,
                )
            )

        await self._apply(payment.id, payment.version, captured)

    @staticmethod
    def _voided(uow: PaymentsUnitOfWork, p: Payment, at: datetime) -> None:
        p.record("PaymentVoided", {}, at)
        uow.record(PaymentVoided(payment_id=p.id, order_id=p.state["order_id"]))

    async def _refund(self, payment: Payment, provider: PaymentProvider) -> None:
        refund = payment.pending_refund()
        if refund is None:
            return
        s = payment.state
        amount = Decimal(str(refund["amount"]))
        try:
            charge = await provider.refund(
                str(s.get("capture_reference") or s.get("reference")),
                amount,
                s["currency"],
                idempotency_key=f"{payment.id}:refund:{refund['id']}",
            )
        except PaymentDeclined as exc:
            declined = exc

            def failed(uow: PaymentsUnitOfWork, p: Payment, at: datetime) -> None:
                p.record(
                    "RefundFailed",
                    {
                        "refund_id": refund["id"],
                        "code": declined.code.value,
                        "message": declined.message,
                    },
                    at,
                )
                uow.record(
                    RefundFailed(
                        refund_id=refund["id"],
                        payment_id=p.id,
                        order_id=p.state["order_id"],
                        amount=str(amount),
                        currency=p.state["currency"],
                        code=declined.code.value,
                        message=declined.message,
                    )
                )

            await self._apply(payment.id, payment.version, failed)
            return

        def succeeded(uow: PaymentsUnitOfWork, p: Payment, at: datetime) -> None:
            p.record(
                "RefundSucceeded",
                {"refund_id": refund["id"], "amount": str(amount), "reference": charge.reference},
                at,
            )
            uow.record(
                RefundSucceeded(
                    refund_id=refund["id"],
                    payment_id=p.id,
                    order_id=p.state["order_id"],
                    amount=str(amount),
                    currency=p.state["currency"],
                )
            )

        await self._apply(payment.id, payment.version, succeeded)

    # -- lifecycle ----------------------------------------------------------------------------------

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:
                log.exception("payment processing round failed")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="payment-processor")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
