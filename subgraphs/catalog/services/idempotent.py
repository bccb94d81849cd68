"""Claiming an idempotency key inside a catalog use case, with the catalog's error codes."""

from __future__ import annotations

from typing import Any

from shared.auth import Principal
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.catalog.domain.errors import CatalogError
from subgraphs.catalog.uow import CatalogUnitOfWork


async def claim(
    uow: CatalogUnitOfWork, key: str | None, *, operation: str, actor: Principal, data: object
) -> dict[str, Any] | None:
    """The stored response of an earlier request with ``key`` and the same data, else None (and
    the key is claimed for this transaction)."""
    try:
        request = IdempotentRequest.of(key, operation=operation, caller=actor, data=data)
        return await uow.claim_idempotency_key(request)
    except IdempotencyError as exc:
        raise CatalogError.from_idempotency(exc) from exc
