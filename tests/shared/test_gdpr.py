"""``shared.gdpr``: the events' payloads and the handlers a personal-data holder registers."""

from __future__ import annotations

from typing import Any, cast

from shared.events import Envelope
from shared.gdpr import (
    PERSONAL_DATA_HOLDERS,
    CustomerDeleted,
    DataExportRequested,
    PersonalDataCollected,
    gdpr_handlers,
)
from shared.uow import UnitOfWork


def _uow() -> UnitOfWork:
    """A unit of work that only records events (the handlers never touch its session here)."""
    return UnitOfWork(cast(Any, None), cast(Any, None), source="holder")


def test_payloads_are_the_documented_contract() -> None:
    assert DataExportRequested(export_id="e1", customer_id="c1").payload() == {
        "export_id": "e1",
        "customer_id": "c1",
    }
    assert PersonalDataCollected(export_id="e1", subgraph="reviews", data={"n": 1}).payload() == {
        "export_id": "e1",
        "subgraph": "reviews",
        "data": {"n": 1},
    }
    assert CustomerDeleted(customer_id="c1").payload() == {"customer_id": "c1"}
    assert {"accounts", "reviews"} <= set(PERSONAL_DATA_HOLDERS)


async def test_a_holder_answers_an_export_and_anonymizes_on_deletion() -> None:
    anonymized: list[str] = []

    async def collect(uow: UnitOfWork, customer_id: str) -> dict[str, Any]:
        return {"customer": customer_id, "things": [1, 2]}

    async def anonymize(uow: UnitOfWork, customer_id: str) -> None:
        anonymized.append(customer_id)

    handlers = gdpr_handlers("holder", collect=collect, anonymize=anonymize)
    uow = _uow()
    requested = Envelope.from_event(
        DataExportRequested(export_id="e1", customer_id="c1"), source="accounts"
    )
    deleted = Envelope.from_event(CustomerDeleted(customer_id="c1"), source="accounts")

    await handlers["DataExportRequested"](uow, requested)
    await handlers["CustomerDeleted"](uow, deleted)

    (answer,) = uow.pending_events
    assert (answer.type, answer.source, answer.key) == ("PersonalDataCollected", "holder", "e1")
    assert answer.payload == {
        "export_id": "e1",
        "subgraph": "holder",
        "data": {"customer": "c1", "things": [1, 2]},
    }
    assert anonymized == ["c1"]
