"""Events the accounts subgraph publishes. Payloads are a public contract (see README).

``DataExportRequested``, ``PersonalDataCollected`` and ``CustomerDeleted`` live in
``shared.gdpr`` because every personal-data holder reads or writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from shared.events import DomainEvent
from shared.gdpr import CustomerDeleted, DataExportRequested, PersonalDataCollected

__all__ = [
    "CustomerContactChanged",
    "CustomerDeleted",
    "CustomerRegistered",
    "DataExportRequested",
    "PasswordResetRequested",
    "PersonalDataCollected",
    "StaffChanged",
]


@dataclass(frozen=True, kw_only=True)
class CustomerRegistered(DomainEvent):
    event_type: ClassVar[str] = "CustomerRegistered"
    customer_id: str
    created_at: str


@dataclass(frozen=True, kw_only=True)
class CustomerContactChanged(DomainEvent):
    """How to reach a customer, for subgraphs that write to them (checkout fills a signed-in
    customer's cart email; orders address confirmations). Recorded on registration, profile
    changes and a confirmed email change; ``updated_at`` orders them. Personal data: holders
    erase it on ``CustomerDeleted``."""

    event_type: ClassVar[str] = "CustomerContactChanged"
    customer_id: str
    email: str
    first_name: str
    last_name: str
    updated_at: str


@dataclass(frozen=True, kw_only=True)
class PasswordResetRequested(DomainEvent):
    """A reset link was sent (the token itself never travels on the bus)."""

    event_type: ClassVar[str] = "PasswordResetRequested"
    customer_id: str


@dataclass(frozen=True, kw_only=True)
class StaffChanged(DomainEvent):
    """A staff account or permission group changed (what other subgraphs may cache)."""

    event_type: ClassVar[str] = "StaffChanged"
    staff_id: str
    action: str
