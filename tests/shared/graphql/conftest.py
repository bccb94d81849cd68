"""Fixtures for the shared GraphQL tests: the catalog subgraph as a real example, SQL counting."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from shared.app import SubgraphApp
from shared.db import Database
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient


@contextmanager
def counting_sql(database: Database) -> Iterator[list[str]]:
    """Collect every SQL statement sent through ``database`` while the block runs."""
    statements: list[str] = []

    def before_cursor_execute(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        statements.append(statement)

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


@pytest.fixture
async def catalog(make_subgraph: SubgraphFactory) -> SubgraphApp:
    return await make_subgraph("catalog")


@pytest.fixture
async def catalog_client(catalog: SubgraphApp) -> AsyncIterator[SubgraphClient]:
    client = SubgraphClient(catalog)
    yield client
    await client.aclose()
