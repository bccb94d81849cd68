"""Domain events and envelopes: JSON payloads and the envelope's round trip."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum, StrEnum

import pytest

from shared.events import DomainEvent, Envelope, dumps, loads


class Color(Enum):
    RED = "red"


class Status(StrEnum):
    PUBLISHED = "PUBLISHED"


@dataclass(frozen=True, kw_only=True)
class ProductPriced(DomainEvent):
    event_type = "ProductPriced"

    product_id: uuid.UUID
    amount: Decimal
    color: Color
    status: Status
    at: datetime
    tags: list[str]


PRODUCT_ID = uuid.UUID("6f1e2c3d-4b5a-4c6d-8e7f-8091a2b3c4d5")
AT = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)


def _event() -> ProductPriced:
    return ProductPriced(
        product_id=PRODUCT_ID,
        amount=Decimal("19.90"),
        color=Color.RED,
        status=Status.PUBLISHED,
        at=AT,
        tags=["a", "b"],
    )


def test_payload_encodes_decimal_uuid_and_enum_as_strings() -> None:
    assert _event().payload() == {
        "product_id": "6f1e2c3d-4b5a-4c6d-8e7f-8091a2b3c4d5",
        "amount": "19.90",
        "color": "red",
        "status": "PUBLISHED",
        "at": "2026-11-22T10:30:00Z",
        "tags": ["a", "b"],
    }


def test_key_is_the_first_field_as_text() -> None:
    assert _event().key() == str(PRODUCT_ID)


def test_dumps_refuses_what_it_cannot_encode() -> None:
    with pytest.raises(TypeError, match="object"):
        dumps({"x": object()})


def test_envelope_from_event_carries_type_source_key_and_payload() -> None:
    envelope = Envelope.from_event(_event(), source="catalog")

    assert envelope.type == "ProductPriced"
    assert envelope.source == "catalog"
    assert envelope.key == str(PRODUCT_ID)
    assert envelope.payload == _event().payload()
    assert uuid.UUID(envelope.id).version == 4
    assert envelope.occurred_at.tzinfo is not None


def test_envelope_json_round_trip() -> None:
    envelope = Envelope.from_event(_event(), source="catalog")

    text = envelope.to_json()

    assert Envelope.from_json(text) == envelope
    assert Envelope.from_json(text.encode()) == envelope
    assert loads(text)["payload"]["amount"] == "19.90"


def test_envelopes_get_distinct_ids() -> None:
    first = Envelope(type="T", source="s", payload={})
    second = Envelope(type="T", source="s", payload={})

    assert first.id != second.id


def test_an_envelope_without_a_key_decodes_with_an_empty_key() -> None:
    text = (
        '{"id": "e1", "type": "T", "source": "s", '
        '"occurred_at": "2026-11-22T10:30:00+00:00", "payload": {"n": 1}}'
    )

    envelope = Envelope.from_json(text)

    assert envelope == Envelope(
        id="e1", type="T", source="s", key="", occurred_at=AT, payload={"n": 1}
    )
