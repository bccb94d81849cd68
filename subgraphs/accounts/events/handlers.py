"""What the accounts subgraph does with events. Registered in ``HANDLERS``; each is idempotent
because ``shared.consumer.idempotent`` claims the inbox row in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shared.consumer import EventHandler
from shared.events import Envelope
from shared.gdpr import PersonalDataCollected, gdpr_handlers
from subgraphs.accounts.services.data_export import add_export_part, collect_account_data
from subgraphs.accounts.uow import AccountsUnitOfWork


async def _already_anonymized(uow: AccountsUnitOfWork, customer_id: str) -> None:
    """accountDelete anonymizes accounts' own rows in its transaction, before publishing."""


async def store_export_part(uow: AccountsUnitOfWork, envelope: Envelope) -> None:
    """PersonalDataCollected (any holder) → the export gets that part; READY when complete."""
    payload = envelope.payload
    data: Any = payload.get("data") or {}
    await add_export_part(
        uow,
        export_id=str(payload["export_id"]),
        subgraph=str(payload["subgraph"]),
        data=dict(data) if isinstance(data, dict) else {},
        at=datetime.now(UTC),
    )


HANDLERS: Mapping[str, EventHandler[AccountsUnitOfWork]] = {
    **gdpr_handlers("accounts", collect=collect_account_data, anonymize=_already_anonymized),
    PersonalDataCollected.event_type: store_export_part,
}
