"""Count the SQL statements a block sends through a subgraph's database (every engine of it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from shared.db import Database


@contextmanager
def counting_sql(database: Database) -> Iterator[list[str]]:
    """Collect every SQL statement sent through ``database`` while the block runs — writes on the
    async engine and reads on the SQLite reader alike."""
    statements: list[str] = []

    def before_cursor_execute(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        statements.append(statement)

    engines = database.engines
    for engine in engines:
        event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", before_cursor_execute)
