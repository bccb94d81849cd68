"""GDPR across subgraphs: the events of a data export and of an erasure, and who must answer.

The accounts subgraph starts both. A data export: accounts publishes ``DataExportRequested``;
every subgraph in ``PERSONAL_DATA_HOLDERS`` answers with ``PersonalDataCollected`` (its part of
the customer's data, a JSON object); accounts assembles one document when all have answered. An
erasure: accounts publishes ``CustomerDeleted``; every holder anonymizes its own rows, keeping
what the law requires it to keep (its README says what and why).

A holder wires both with ``gdpr_handlers(name, collect=..., anonymize=...)`` merged into its
``HANDLERS``: the handlers run through the inbox like any other, so redeliveries are no-ops.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from shared.consumer import EventHandler
from shared.events import DomainEvent, Envelope
from shared.uow import UnitOfWork

U = TypeVar("U", bound=UnitOfWork)

PERSONAL_DATA_HOLDERS: tuple[str, ...] = ("accounts", "checkout", "orders", "payments", "reviews")
"""Subgraphs holding personal data; a data export is complete when each has answered."""


@dataclass(frozen=True, kw_only=True)
class DataExportRequested(DomainEvent):
    """A customer asked for a copy of their data (published by accounts)."""

    event_type: ClassVar[str] = "DataExportRequested"
    export_id: str
    customer_id: str


@dataclass(frozen=True, kw_only=True)
class PersonalDataCollected(DomainEvent):
    """One holder's part of an export: ``data`` is a JSON object (published by each holder)."""

    event_type: ClassVar[str] = "PersonalDataCollected"
    export_id: str
    subgraph: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class CustomerDeleted(DomainEvent):
    """A customer erased their account: every holder anonymizes its rows (published by accounts)."""

    event_type: ClassVar[str] = "CustomerDeleted"
    customer_id: str


Collect = Callable[[U, str], Awaitable[dict[str, Any]]]
"""``collect(uow, customer_id)``: the holder's personal data of a customer, JSON-ready."""
Anonymize = Callable[[U, str], Awaitable[None]]
"""``anonymize(uow, customer_id)``: erase or unlink the customer's personal data (no commit)."""


def gdpr_handlers(
    subgraph: str, *, collect: Collect[U], anonymize: Anonymize[U]
) -> Mapping[str, EventHandler[U]]:
    """The handlers a personal-data holder registers on its consumer (merge into ``HANDLERS``)."""

    async def on_export_requested(uow: U, envelope: Envelope) -> None:
        payload = envelope.payload
        data = await collect(uow, str(payload["customer_id"]))
        uow.record(
            PersonalDataCollected(export_id=str(payload["export_id"]), subgraph=subgraph, data=data)
        )

    async def on_customer_deleted(uow: U, envelope: Envelope) -> None:
        await anonymize(uow, str(envelope.payload["customer_id"]))

    return {
        DataExportRequested.event_type: on_export_requested,
        CustomerDeleted.event_type: on_customer_deleted,
    }
