"""The payment simulator: the embedded default provider, deterministic by test token.

| token | what happens |
|---|---|
| `tok_success` (also `tok_visa`, `tok_mastercard`) | authorized, then captured |
| `tok_decline` | declined (DECLINED) |
| `tok_insufficient_funds` | declined (INSUFFICIENT_FUNDS) |
| `tok_3ds_required` | needs 3-D Secure: the shopper approves it (`paymentConfirm`), then captured |
| `tok_3ds_fail` | needs 3-D Secure, and the challenge fails (AUTHENTICATION_FAILED) |
| `tok_timeout` | every call times out (network): retried, then PROVIDER_UNAVAILABLE, breaker opens |
| `tok_capture_fail` | authorized, the capture fails (CAPTURE_FAILED; the authorization is voided) |
| `tok_fraud` | refused by the fraud check before any call (FRAUD_SUSPECTED) |
| anything else | INVALID_TOKEN |

Like a real provider it remembers each idempotency key (``simulator_operations``): the same key
returns the first answer, so a retried or replayed call never charges twice, even across a crash
of the host. ``charges_of`` lets tests count what was really captured.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from shared.db import Database
from subgraphs.payments.domain.models import simulator_operations
from subgraphs.payments.domain.provider import (
    Authorization,
    Charge,
    DeclineCode,
    PaymentDeclined,
    PaymentRequest,
    ProviderUnavailable,
)

SUCCESS = {"tok_success", "tok_visa", "tok_mastercard", "tok_capture_fail"}
DECLINES = {
    "tok_decline": (DeclineCode.DECLINED, "Your card was declined."),
    "tok_insufficient_funds": (DeclineCode.INSUFFICIENT_FUNDS, "Your card has insufficient funds."),
}
THREE_DS = {"tok_3ds_required", "tok_3ds_fail"}


class SimulatorProvider:
    name = "simulator"

    def __init__(self, database: Database) -> None:
        self.database = database

    async def _remembered(self, key: str) -> Mapping[str, Any] | None:
        async with self.database.session() as session:
            row = (
                (
                    await session.execute(
                        select(simulator_operations).where(
                            simulator_operations.c.idempotency_key == key
                        )
                    )
                )
                .mappings()
                .first()
            )
        return dict(row) if row else None

    async def _remember(
        self, key: str, operation: str, reference: str, amount: Decimal, outcome: str
    ) -> Mapping[str, Any]:
        values = {
            "idempotency_key": key,
            "operation": operation,
            "reference": reference,
            "amount": amount,
            "outcome": outcome,
            "created_at": datetime.now(UTC),
        }
        try:
            async with self.database.session() as session, session.begin():
                await session.execute(insert(simulator_operations).values(**values))
        except IntegrityError:  # a concurrent call with the same key won: its answer
            found = await self._remembered(key)
            assert found is not None
            return found
        return values

    async def _token_of(self, reference: str) -> str:
        async with self.database.session() as session:
            row = (
                await session.execute(
                    select(simulator_operations.c.outcome).where(
                        simulator_operations.c.reference == reference,
                        simulator_operations.c.operation == "authorize",
                    )
                )
            ).first()
        if row is None:
            raise PaymentDeclined(DeclineCode.INVALID_TOKEN, "Unknown payment reference.")
        return str(row[0]).split(":", 1)[1]

    @staticmethod
    def _answer(row: Mapping[str, Any]) -> None:
        outcome = str(row["outcome"])
        if outcome.startswith("declined:"):
            code, message = outcome.split(":", 2)[1:]
            raise PaymentDeclined(DeclineCode(code), message)

    async def authorize(self, request: PaymentRequest, *, idempotency_key: str) -> Authorization:
        token = request.token
        if token in ("tok_timeout",):
            raise ProviderUnavailable("simulator: the network timed out")
        remembered = await self._remembered(idempotency_key)
        if remembered is None:
            reference = "sim_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:20]
            if token in DECLINES:
                code, message = DECLINES[token]
                outcome = f"declined:{code.value}:{message}"
            elif token in THREE_DS:
                outcome = f"action_required:{token}"
            elif token in SUCCESS:
                outcome = f"authorized:{token}"
            else:
                outcome = f"declined:{DeclineCode.INVALID_TOKEN.value}:Unknown payment token."
            remembered = await self._remember(
                idempotency_key, "authorize", reference, request.amount, outcome
            )
        self._answer(remembered)
        reference = str(remembered["reference"])
        if str(remembered["outcome"]).startswith("action_required"):
            return Authorization(reference, requires_action=True)
        return Authorization(reference)

    async def confirm(self, reference: str, *, idempotency_key: str) -> Authorization:
        token = await self._token_of(reference)
        remembered = await self._remembered(idempotency_key)
        if remembered is None:
            outcome = (
                f"declined:{DeclineCode.AUTHENTICATION_FAILED.value}:3-D Secure authentication failed."
                if token in ("tok_3ds_fail",)
                else "authorized:3ds"
            )
            remembered = await self._remember(
                idempotency_key, "confirm", reference, Decimal(0), outcome
            )
        self._answer(remembered)
        return Authorization(reference)

    async def capture(self, reference: str, amount: Decimal, *, idempotency_key: str) -> Charge:
        remembered = await self._remembered(idempotency_key)
        if remembered is None:
            token = await self._token_of(reference)
            outcome = (
                f"declined:{DeclineCode.CAPTURE_FAILED.value}:The capture failed."
                if token in ("tok_capture_fail",)
                else "captured"
            )
            remembered = await self._remember(
                idempotency_key, "capture", reference, amount, outcome
            )
        self._answer(remembered)
        return Charge(reference, Decimal(str(remembered["amount"])))

    async def void(self, reference: str, *, idempotency_key: str) -> None:
        if await self._remembered(idempotency_key) is None:
            await self._remember(idempotency_key, "void", reference, Decimal(0), "voided")

    async def refund(
        self, reference: str, amount: Decimal, currency: str, *, idempotency_key: str
    ) -> Charge:
        remembered = await self._remembered(idempotency_key)
        if remembered is None:
            remembered = await self._remember(
                idempotency_key, "refund", reference, amount, "refunded"
            )
        return Charge(f"{reference}_re_{idempotency_key[-8:]}", Decimal(str(remembered["amount"])))

    async def charges_of(self, reference: str) -> list[Mapping[str, Any]]:
        """What the simulator really captured and refunded for a payment (tests, checks)."""
        async with self.database.session() as session:
            rows = await session.execute(
                select(simulator_operations).where(
                    simulator_operations.c.reference == reference,
                    simulator_operations.c.operation.in_(["capture", "refund"]),
                )
            )
            return [dict(r) for r in rows.mappings()]
