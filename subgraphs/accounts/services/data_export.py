"""Use cases of a GDPR data export: a customer asks; every personal-data holder (``shared.gdpr``)
answers with its part; the export is READY when all have answered, as one JSON document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from shared.auth import Principal
from shared.gdpr import PERSONAL_DATA_HOLDERS
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode
from subgraphs.accounts.domain.events import DataExportRequested
from subgraphs.accounts.domain.models import DataExport, ExportStatus
from subgraphs.accounts.services import audit
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork


async def request_data_export(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    actor: Principal,
    idempotency_key: str | None = None,
) -> DataExport:
    if not actor.is_customer or actor.id is None:
        raise AccountError(AccountErrorCode.INVALID, "Only a customer exports their own data.")
    at = runtime.clock()
    async with uow_factory() as uow:
        try:
            request = IdempotentRequest.of(
                idempotency_key, operation="myDataExport", caller=actor, data={}
            )
            replay = await uow.claim_idempotency_key(request)
        except IdempotencyError as exc:
            raise AccountError.from_idempotency(exc) from exc
        if replay is not None:
            found = await uow.exports.lock(str(replay["export_id"]))
            await uow.commit()
            if found is None:
                raise AccountError(AccountErrorCode.NOT_FOUND, "No such export.")
            return found
        user = await uow.users.get(actor.id)
        if user is None or user.is_deleted:
            raise AccountError(AccountErrorCode.NOT_FOUND, "No such account.")
        export = DataExport(customer_id=user.id, created_at=at)
        uow.exports.add(export)
        uow.record(DataExportRequested(export_id=export.id, customer_id=user.id))
        await audit.record(
            uow,
            actor=actor,
            action="data_export.requested",
            target_type="Customer",
            target_id=user.id,
            at=at,
            details={"export_id": export.id},
        )
        await uow.commit(idempotent_response={"export_id": export.id})
    return export


async def collect_account_data(uow: AccountsUnitOfWork, customer_id: str) -> dict[str, Any]:
    """The accounts subgraph's part: profile, addresses, security settings (no secrets)."""
    user = await uow.users.get(customer_id)
    if user is None:
        return {}
    return {
        "profile": {
            "id": user.id,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "created_at": user.created_at.isoformat(),
            "mfa_enabled": user.mfa_enabled,
            "default_shipping_address_id": user.default_shipping_address_id,
            "default_billing_address_id": user.default_billing_address_id,
        },
        "addresses": [a.as_data() for a in await uow.addresses.of_user(customer_id)],
    }


async def add_export_part(
    uow: AccountsUnitOfWork, *, export_id: str, subgraph: str, data: dict[str, Any], at: datetime
) -> None:
    """Store one holder's part (in the consumer's unit of work); assemble when all are in."""
    export = await uow.exports.lock(export_id)
    if export is None or export.status == ExportStatus.READY:
        return
    parts = {**export.parts, subgraph: data}
    export.parts = parts
    if all(holder in parts for holder in PERSONAL_DATA_HOLDERS):
        export.document = {
            "export_id": export.id,
            "customer_id": export.customer_id,
            "requested_at": export.created_at.isoformat(),
            "completed_at": at.isoformat(),
            "data": {holder: parts[holder] for holder in PERSONAL_DATA_HOLDERS},
        }
        export.status = ExportStatus.READY
        export.completed_at = at
