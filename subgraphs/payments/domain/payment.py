"""The Payment aggregate, event-sourced like orders: a stream of events per payment, the state
folded from them (a JSON-able dict).

States: REQUESTED → (ACTION_REQUIRED →) AUTHORIZED → CAPTURED → PARTIALLY_REFUNDED / REFUNDED;
FAILED; VOIDED. ``work`` says what the processor must do next with the provider (authorize,
capture, void, refund); it is cleared by the event that records the provider's answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0")


class PaymentState(StrEnum):
    REQUESTED = "REQUESTED"
    ACTION_REQUIRED = "ACTION_REQUIRED"
    AUTHORIZED = "AUTHORIZED"
    CAPTURED = "CAPTURED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
    FAILED = "FAILED"
    VOIDED = "VOIDED"


class Work(StrEnum):
    AUTHORIZE = "authorize"
    CAPTURE = "capture"
    VOID = "void"
    REFUND = "refund"


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class Recorded:
    type: str
    data: Mapping[str, Any]
    version: int
    at: datetime


def _empty(payment_id: str) -> dict[str, Any]:
    return {
        "id": payment_id,
        "status": PaymentState.REQUESTED.value,
        "work": None,
        "captured": "0.00",
        "refunded": "0.00",
        "refunds": [],
        "disputes": [],
        "attempts": 0,
        "version": 0,
    }


def _requested(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    for key in (
        "order_id",
        "order_number",
        "customer_id",
        "token_hash",
        "gateway",
        "token",
        "amount",
        "currency",
        "email",
    ):
        s[key] = d.get(key)
    s["created_at"] = e.at.isoformat()
    s["work"] = Work.AUTHORIZE.value


def _action(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["status"] = PaymentState.ACTION_REQUIRED.value
    s["reference"] = d.get("reference")
    s["action_url"] = d.get("action_url")
    s["work"] = None


def _authorized(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["status"] = PaymentState.AUTHORIZED.value
    s["reference"] = d.get("reference") or s.get("reference")
    s["action_url"] = None
    s["work"] = Work.VOID.value if s.get("cancel_requested") else Work.CAPTURE.value


def _captured(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["status"] = PaymentState.CAPTURED.value
    s["captured"] = str(money(d["amount"]))
    s["capture_reference"] = d.get("capture_reference") or s.get("reference")
    s["work"] = Work.REFUND.value if s.get("cancel_requested") else _refund_work(s)
    if s.get("cancel_requested"):
        s["refunds"].append(
            {
                "id": d.get("cancel_refund_id") or f"cancel-{s['id']}",
                "amount": s["captured"],
                "status": "PENDING",
                "reason": "order cancelled",
                "requested_by": "orders",
            }
        )


def _failed(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["status"] = PaymentState.FAILED.value
    s["failure_code"] = d.get("code")
    s["failure_message"] = d.get("message")
    s["work"] = None


def _voided(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["status"] = PaymentState.VOIDED.value
    s["work"] = None


def _cancel_requested(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["cancel_requested"] = True
    status = s["status"]
    if status == PaymentState.REQUESTED:
        s["status"] = PaymentState.VOIDED.value
        s["work"] = None
    elif status in (PaymentState.ACTION_REQUIRED, PaymentState.AUTHORIZED):
        s["work"] = Work.VOID.value
    elif status in (PaymentState.CAPTURED, PaymentState.PARTIALLY_REFUNDED):
        left = money(s["captured"]) - money(s["refunded"]) - _pending(s)
        if left > ZERO:
            s["refunds"].append(
                {
                    "id": d.get("refund_id") or f"cancel-{s['id']}",
                    "amount": str(left),
                    "status": "PENDING",
                    "reason": "order cancelled",
                    "requested_by": "orders",
                }
            )
        s["work"] = _refund_work(s)


def _pending(s: Mapping[str, Any]) -> Decimal:
    return sum((money(r["amount"]) for r in s["refunds"] if r["status"] == "PENDING"), ZERO)


def _refund_work(s: Mapping[str, Any]) -> str | None:
    return Work.REFUND.value if any(r["status"] == "PENDING" for r in s["refunds"]) else None


def _refund_requested(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["refunds"].append(
        {
            "id": d["refund_id"],
            "amount": str(money(d["amount"])),
            "status": "PENDING",
            "reason": d.get("reason") or "",
            "requested_by": d.get("requested_by") or "orders",
        }
    )
    s["work"] = _refund_work(s)


def _refund_done(status: str) -> Any:
    def apply(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
        refund_id = d.get("refund_id")
        found = next((r for r in s["refunds"] if r["id"] == refund_id), None)
        if found is None and status == "SUCCEEDED":  # refunded at the provider directly
            found = {
                "id": refund_id,
                "amount": str(money(d["amount"])),
                "status": "PENDING",
                "reason": "refunded at the provider",
                "requested_by": "provider",
            }
            s["refunds"].append(found)
        if found is None:
            return
        found["status"] = status
        found["reference"] = d.get("reference")
        if status == "SUCCEEDED":
            refunded = money(s["refunded"]) + money(found["amount"])
            s["refunded"] = str(refunded)
            s["status"] = (
                PaymentState.REFUNDED.value
                if refunded >= money(s["captured"])
                else PaymentState.PARTIALLY_REFUNDED.value
            )
        else:
            found["failure"] = d.get("message") or d.get("code")
        s["work"] = _refund_work(s)

    return apply


def _dispute(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    existing = next((x for x in s["disputes"] if x["id"] == d.get("dispute_id")), None)
    if existing is None:
        s["disputes"].append(
            {
                "id": d.get("dispute_id"),
                "amount": d.get("amount"),
                "reason": d.get("reason"),
                "status": d.get("status") or "open",
            }
        )
    else:
        existing["status"] = d.get("status") or existing["status"]


def _erased(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["customer_id"] = None
    s["email"] = None
    s["token"] = None


def _attempt(s: dict[str, Any], d: Mapping[str, Any], e: Recorded) -> None:
    s["attempts"] = int(s.get("attempts") or 0) + 1
    s["last_error"] = d.get("error")


APPLY: dict[str, Any] = {
    "PaymentRequested": _requested,
    "PaymentActionRequired": _action,
    "PaymentAuthorized": _authorized,
    "PaymentCaptured": _captured,
    "PaymentFailed": _failed,
    "PaymentVoided": _voided,
    "CancelRequested": _cancel_requested,
    "RefundRequested": _refund_requested,
    "RefundSucceeded": _refund_done("SUCCEEDED"),
    "RefundFailed": _refund_done("FAILED"),
    "DisputeRecorded": _dispute,
    "AttemptFailed": _attempt,
    "CustomerErased": _erased,
}


def apply(state: dict[str, Any], event: Recorded) -> dict[str, Any]:
    handler = APPLY.get(event.type)
    if handler is not None:
        handler(state, event.data, event)
    state["version"] = event.version
    state["updated_at"] = event.at.isoformat()
    return state


def fold(payment_id: str, events: Iterable[Recorded]) -> dict[str, Any]:
    state = _empty(payment_id)
    for event in events:
        state = apply(state, event)
    return state


@dataclass
class Payment:
    id: str
    state: dict[str, Any]
    version: int
    pending: list[Recorded] = field(default_factory=list)

    @classmethod
    def load(cls, payment_id: str, events: list[Recorded]) -> Payment:
        return cls(payment_id, fold(payment_id, events), events[-1].version if events else 0)

    @property
    def exists(self) -> bool:
        return self.version > 0

    @property
    def status(self) -> PaymentState:
        return PaymentState(self.state["status"])

    @property
    def work(self) -> Work | None:
        value = self.state.get("work")
        return Work(value) if value else None

    def record(self, type_: str, data: Mapping[str, Any], at: datetime) -> Recorded:
        event = Recorded(type=type_, data=dict(data), version=self.version + 1, at=at)
        self.state = apply(self.state, event)
        self.version = event.version
        self.pending.append(event)
        return event

    def refundable(self) -> Decimal:
        return money(self.state["captured"]) - money(self.state["refunded"]) - _pending(self.state)

    def pending_refund(self) -> dict[str, Any] | None:
        return next((r for r in self.state["refunds"] if r["status"] == "PENDING"), None)
