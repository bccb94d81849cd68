"""Small SQL helpers that differ by dialect (kept here so repositories stay portable)."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Dialect, Table, TypeDecorator
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is timezone-aware UTC in Python on every database.

    PostgreSQL keeps the offset (``timestamptz``); SQLite keeps none and would hand back naive
    values. So values are stored converted to UTC and read back marked UTC. A naive value is a
    bug (whose local time would it be?) and is refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a naive datetime cannot be stored as a UTC timestamp: {value!r}")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def view_columns(table: Table, view: type[Any]) -> list[ColumnElement[Any]]:
    """The table's columns in the order of a dataclass view's fields, so that a row builds the
    view by position (``View(*row)``) — the cheapest way from a row to a plain object."""
    return [table.c[f.name] for f in fields(view)]


def insert_ignoring_conflicts(dialect: str, table: Table, values: dict[str, Any]) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING`` for PostgreSQL and SQLite (rowcount 0 on conflict)."""
    if dialect == "postgresql":
        return postgresql.insert(table).values(**values).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).values(**values).on_conflict_do_nothing()
    raise NotImplementedError(f"unsupported dialect {dialect!r}")


def upsert(
    dialect: str,
    table: Table,
    values: dict[str, Any],
    *,
    key: list[str],
    set_: dict[str, Any],
    where: ColumnElement[bool] | None = None,
) -> Insert:
    """``INSERT … ON CONFLICT (key) DO UPDATE SET …`` — one atomic statement on both dialects.

    ``set_`` values may refer to the stored row's columns, e.g. ``table.c.count + 1``; ``where``
    limits the update (e.g. only when the proposed row is newer), else the insert is a no-op.
    """
    if dialect == "postgresql":
        return (
            postgresql.insert(table)
            .values(**values)
            .on_conflict_do_update(index_elements=key, set_=set_, where=where)
        )
    if dialect == "sqlite":
        return (
            sqlite.insert(table)
            .values(**values)
            .on_conflict_do_update(index_elements=key, set_=set_, where=where)
        )
    raise NotImplementedError(f"unsupported dialect {dialect!r}")
