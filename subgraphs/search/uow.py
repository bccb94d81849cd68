"""The search subgraph's unit of work: it also collects the products whose index entry must be
refreshed, and hands them to the indexer once the transaction has committed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import Database
from shared.messaging_tables import MessagingTables
from shared.uow import UnitOfWork
from subgraphs.search.repository import SearchDocumentRepository

Reproject = Callable[[Iterable[str]], None]


class SearchUnitOfWork(UnitOfWork):
    documents: SearchDocumentRepository

    def __init__(
        self,
        database: Database,
        tables: MessagingTables,
        *,
        source: str,
        on_commit: Callable[[], None] | None = None,
        reproject: Reproject | None = None,
    ) -> None:
        super().__init__(database, tables, source=source, on_commit=on_commit)
        self._reproject = reproject
        self._touched: set[str] = set()

    def open_repositories(self, session: AsyncSession) -> None:
        self.documents = SearchDocumentRepository(session)
        self._touched = set()

    def touch(self, product_id: str) -> None:
        """Refresh this product's index entry after commit."""
        self._touched.add(product_id)

    async def commit(self, *, idempotent_response: Mapping[str, Any] | None = None) -> None:
        await super().commit(idempotent_response=idempotent_response)
        touched, self._touched = self._touched, set()
        if touched and self._reproject is not None:
            self._reproject(sorted(touched))
