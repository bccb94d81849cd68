"""Events the payments subgraph publishes (its public contract; README has the table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PaymentAuthorized(DomainEvent):
    event_type: ClassVar[str] = "PaymentAuthorized"
    payment_id: str
    order_id: str
    amount: str
    currency: str
    gateway: str


@dataclass(frozen=True, kw_only=True)
class PaymentActionRequired(DomainEvent):
    event_type: ClassVar[str] = "PaymentActionRequired"
    payment_id: str
    order_id: str
    action_type: str
    action_url: str | None


@dataclass(frozen=True, kw_only=True)
class PaymentCaptured(DomainEvent):
    event_type: ClassVar[str] = "PaymentCaptured"
    payment_id: str
    order_id: str
    amount: str
    currency: str
    gateway: str
    provider_reference: str


@dataclass(frozen=True, kw_only=True)
class PaymentFailed(DomainEvent):
    event_type: ClassVar[str] = "PaymentFailed"
    payment_id: str
    order_id: str
    code: str
    message: str
    retryable: bool


@dataclass(frozen=True, kw_only=True)
class PaymentVoided(DomainEvent):
    event_type: ClassVar[str] = "PaymentVoided"
    payment_id: str
    order_id: str


@dataclass(frozen=True, kw_only=True)
class RefundSucceeded(DomainEvent):
    event_type: ClassVar[str] = "RefundSucceeded"
    refund_id: str | None
    payment_id: str
    order_id: str
    amount: str
    currency: str


@dataclass(frozen=True, kw_only=True)
class RefundFailed(DomainEvent):
    event_type: ClassVar[str] = "RefundFailed"
    refund_id: str
    payment_id: str
    order_id: str
    amount: str
    currency: str
    code: str
    message: str


@dataclass(frozen=True, kw_only=True)
class DisputeOpened(DomainEvent):
    event_type: ClassVar[str] = "DisputeOpened"
    dispute_id: str
    payment_id: str
    order_id: str
    amount: str
    currency: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class DisputeClosed(DomainEvent):
    event_type: ClassVar[str] = "DisputeClosed"
    dispute_id: str
    payment_id: str
    order_id: str
    status: str
