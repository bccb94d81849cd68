"""Domain events and the envelope they travel in.

Aggregates record past-tense events (dataclasses deriving from ``DomainEvent``); the unit of work
writes them to the outbox in the same transaction as the state change; the relay publishes them
as ``Envelope`` s. Consumers in other subgraphs read the payload (a JSON object): the payload of an
event type is a public contract, documented in the publishing subgraph's README.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar

import orjson


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot encode {type(value).__name__} in an event payload")


def dumps(value: object) -> str:
    """Encode a payload to JSON text (Decimal, UUID and Enum as strings; datetimes as ISO 8601)."""
    return orjson.dumps(value, default=_default, option=orjson.OPT_UTC_Z).decode()


def loads(text: str | bytes) -> Any:
    return orjson.loads(text)


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of every domain event. Subclasses set ``event_type`` and declare their fields."""

    event_type: ClassVar[str]

    def payload(self) -> dict[str, Any]:
        return loads(dumps(dataclasses.asdict(self)))  # type: ignore[no-any-return]

    def key(self) -> str:
        """The aggregate the event belongs to (ordering key); the first field by convention."""
        first = dataclasses.fields(self)[0]
        return str(getattr(self, first.name))


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Envelope:
    """An event as it travels: identity, type, source subgraph, ordering key, payload."""

    type: str
    source: str
    payload: Mapping[str, Any]
    key: str = ""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=_now)

    @classmethod
    def from_event(cls, event: DomainEvent, *, source: str) -> Envelope:
        return cls(type=event.event_type, source=source, payload=event.payload(), key=event.key())

    def to_json(self) -> str:
        return dumps(
            {
                "id": self.id,
                "type": self.type,
                "source": self.source,
                "key": self.key,
                "occurred_at": self.occurred_at.isoformat(),
                "payload": dict(self.payload),
            }
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Envelope:
        data = loads(text)
        return cls(
            id=data["id"],
            type=data["type"],
            source=data["source"],
            key=data.get("key", ""),
            occurred_at=datetime.fromisoformat(data["occurred_at"]),
            payload=data["payload"],
        )
