"""Idempotency keys: the request fingerprint, key rules, scopes, and claiming a key in a unit of
work on the real database (stored with the change, freed by a rollback, claimed once under
concurrency)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

import pytest
from sqlalchemy import MetaData, func, select

from shared.auth import ANONYMOUS, SYSTEM, Principal
from shared.db import Database
from shared.events import DomainEvent
from shared.idempotency import (
    MAX_KEY_LENGTH,
    MAX_SCOPE_LENGTH,
    IdempotencyKeyReused,
    IdempotentRequest,
    InvalidIdempotencyKey,
    canonical_json,
    check_key,
    fingerprint,
    scope_of,
)
from shared.messaging_tables import MessagingTables, define_messaging_tables
from shared.settings import Settings
from shared.uow import UnitOfWork

CUSTOMER = Principal(kind="customer", id="c-1")


class Colour(StrEnum):
    RED = "RED"


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    price: Decimal


@dataclass(frozen=True)
class Order:
    lines: tuple[Line, ...]
    note: str | None = None


# --- the fingerprint ------------------------------------------------------------------------


def test_a_fingerprint_is_a_sha256_hex_digest() -> None:
    digest = fingerprint("orderCreate", {"a": 1})

    assert len(digest) == 64
    assert int(digest, 16) >= 0


def test_key_order_does_not_matter_at_any_depth() -> None:
    first = {"a": 1, "b": {"x": [1, 2], "y": "z"}}
    second = {"b": {"y": "z", "x": [1, 2]}, "a": 1}

    assert fingerprint("op", first) == fingerprint("op", second)


def test_list_order_matters_but_set_order_does_not() -> None:
    assert fingerprint("op", [1, 2]) != fingerprint("op", [2, 1])
    assert fingerprint("op", {"tags": {"b", "a", "c"}}) == fingerprint(
        "op", {"tags": frozenset({"c", "a", "b"})}
    )


def test_the_operation_is_part_of_the_fingerprint() -> None:
    assert fingerprint("productCreate", {"a": 1}) != fingerprint("productUpdate", {"a": 1})


@pytest.mark.parametrize(
    ("same", "other"),
    [
        (Decimal("1.50"), Decimal("1.5")),
        (Decimal("2.00"), Decimal("2")),
        (Decimal("100"), Decimal("1E+2")),
        (Decimal("0.00"), Decimal("-0")),
    ],
)
def test_equal_decimals_give_equal_fingerprints(same: Decimal, other: Decimal) -> None:
    assert fingerprint("op", {"amount": same}) == fingerprint("op", {"amount": other})


def test_decimals_are_exact_and_never_floats() -> None:
    long = Decimal("0.1000000000000000000000000000001")  # more digits than the context's 28

    assert canonical_json(long) == '"0.1000000000000000000000000000001"'
    assert fingerprint("op", long) != fingerprint("op", Decimal("0.1"))
    assert fingerprint("op", Decimal("19.99")) != fingerprint("op", Decimal("19.98"))


def test_dataclasses_enums_uuids_and_dates_become_plain_data() -> None:
    order_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    value = {
        "id": order_id,
        "colour": Colour.RED,
        "at": when,
        "order": Order(lines=(Line(sku="A", quantity=2, price=Decimal("9.90")),)),
    }

    assert canonical_json(value) == (
        '{"at":"2026-01-02T03:04:05+00:00","colour":"RED",'
        '"id":"12345678-1234-5678-1234-567812345678",'
        '"order":{"lines":[{"price":"9.9","quantity":2,"sku":"A"}],"note":null}}'
    )
    assert fingerprint("op", value) == fingerprint(
        "op",
        {
            "order": {"note": None, "lines": [{"sku": "A", "price": "9.9", "quantity": 2}]},
            "at": "2026-01-02T03:04:05+00:00",
            "colour": "RED",
            "id": str(order_id),
        },
    )


def test_different_input_gives_a_different_fingerprint() -> None:
    base = Order(lines=(Line(sku="A", quantity=1, price=Decimal("1")),))
    changed = Order(lines=(Line(sku="A", quantity=2, price=Decimal("1")),))

    assert fingerprint("op", base) != fingerprint("op", changed)
    assert fingerprint("op", {"note": None}) != fingerprint("op", {"note": ""})
    assert fingerprint("op", {"note": None}) != fingerprint("op", {})


@pytest.mark.parametrize("value", [b"bytes", object(), {1: "non-string key"}])
def test_values_without_a_plain_form_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        fingerprint("op", value)


# --- keys and scopes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["k", str(uuid.uuid4()), "a" * MAX_KEY_LENGTH, "order 42/retry#1 ~!", " "],
)
def test_printable_ascii_keys_of_1_to_255_characters_are_accepted(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize(
    "key",
    ["", "a" * (MAX_KEY_LENGTH + 1), "clé", "tab\there", "line\nbreak", "nul\x00", "del\x7f"],
    ids=["empty", "too-long", "non-ascii", "tab", "newline", "nul", "del"],
)
def test_other_keys_are_invalid(key: str) -> None:
    with pytest.raises(InvalidIdempotencyKey, match="1 to 255 printable ASCII"):
        check_key(key)


def test_a_scope_names_the_operation_and_the_caller() -> None:
    assert scope_of("productCreate", SYSTEM) == "productCreate:staff:system"
    assert scope_of("reviewCreate", CUSTOMER) == "reviewCreate:customer:c-1"
    assert scope_of("reviewCreate", ANONYMOUS) == "reviewCreate:anonymous"


def test_a_long_caller_id_is_hashed_to_fit_the_column() -> None:
    long_id = Principal(kind="customer", id="x" * 200)
    other = Principal(kind="customer", id="x" * 199 + "y")

    scope = scope_of("orderCreate", long_id)

    assert len(scope) <= MAX_SCOPE_LENGTH
    assert scope.startswith("orderCreate:sha256:")
    assert scope != scope_of("orderCreate", other)


def test_a_request_without_a_key_is_none() -> None:
    assert IdempotentRequest.of(None, operation="op", caller=ANONYMOUS, data={}) is None


def test_a_request_checks_its_key() -> None:
    with pytest.raises(InvalidIdempotencyKey):
        IdempotentRequest.of("", operation="op", caller=ANONYMOUS, data={})


# --- claiming keys in a unit of work --------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GadgetMade(DomainEvent):
    event_type = "GadgetMade"

    gadget_id: str


@dataclass
class Store:
    database: Database
    tables: MessagingTables

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.database, self.tables, source="gadgets")

    async def count(self, table_name: str) -> int:
        table = {"outbox": self.tables.outbox, "keys": self.tables.idempotency}[table_name]
        async with self.database.session() as session:
            return int(
                (await session.execute(select(func.count()).select_from(table))).scalar_one()
            )


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    metadata = MetaData()
    tables = define_messaging_tables(metadata)
    database = Database(settings.database_for("catalog"))
    await database.ensure_schema()
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield Store(database, tables)
    await database.dispose()


def request(
    key: str = "key-1", *, data: object = None, caller: Principal = CUSTOMER
) -> IdempotentRequest:
    made = IdempotentRequest.of(
        key, operation="gadgetMake", caller=caller, data={"n": 1} if data is None else data
    )
    assert made is not None
    return made


async def make_gadget(store: Store, req: IdempotentRequest | None, gadget_id: str) -> str:
    """A use case in miniature: claim, replay or do the work (an event) and store the id."""
    async with store.uow() as uow:
        replay = await uow.claim_idempotency_key(req)
        if replay is not None:
            return str(replay["gadget_id"])
        await asyncio.sleep(0)  # let concurrent requests run up to their claim
        uow.record(GadgetMade(gadget_id=gadget_id))
        await uow.commit(idempotent_response={"gadget_id": gadget_id})
    return gadget_id


async def test_a_key_is_stored_with_the_change_and_replays_its_response(store: Store) -> None:
    assert await make_gadget(store, request(), "g1") == "g1"
    assert await make_gadget(store, request(), "g2") == "g1"

    assert await store.count("outbox") == 1
    assert await store.count("keys") == 1


async def test_the_key_with_other_input_is_refused(store: Store) -> None:
    await make_gadget(store, request(data={"n": 1}), "g1")

    with pytest.raises(IdempotencyKeyReused):
        await make_gadget(store, request(data={"n": 2}), "g2")

    assert await store.count("outbox") == 1


async def test_keys_of_other_callers_and_operations_are_independent(store: Store) -> None:
    other_operation = IdempotentRequest.of(
        "key-1", operation="gadgetPaint", caller=CUSTOMER, data={"n": 1}
    )
    results = [
        await make_gadget(store, request(caller=CUSTOMER), "g1"),
        await make_gadget(store, request(caller=SYSTEM), "g2"),
        await make_gadget(store, request(caller=ANONYMOUS, data={"n": 9}), "g3"),
        await make_gadget(store, other_operation, "g4"),
    ]

    assert results == ["g1", "g2", "g3", "g4"]
    assert await store.count("keys") == 4


async def test_without_a_key_every_request_does_the_work(store: Store) -> None:
    assert [await make_gadget(store, None, f"g{i}") for i in range(2)] == ["g0", "g1"]

    assert await store.count("outbox") == 2
    assert await store.count("keys") == 0


async def test_a_rolled_back_claim_frees_the_key(store: Store) -> None:
    async with store.uow() as uow:
        assert await uow.claim_idempotency_key(request()) is None  # then the input is refused
    async with store.uow() as uow:
        assert await uow.claim_idempotency_key(request()) is None
        await uow.rollback()

    assert await store.count("keys") == 0
    assert await make_gadget(store, request(data={"n": 2}), "g1") == "g1"


async def test_a_claimed_key_needs_a_response_to_commit(store: Store) -> None:
    async with store.uow() as uow:
        await uow.claim_idempotency_key(request())
        with pytest.raises(RuntimeError, match="response"):
            await uow.commit()
        with pytest.raises(RuntimeError, match="one idempotency key"):
            await uow.claim_idempotency_key(request("key-2"))

    assert await store.count("keys") == 0


async def test_concurrent_requests_with_one_key_do_the_work_once(store: Store) -> None:
    results = await asyncio.gather(*(make_gadget(store, request(), f"g{i}") for i in range(10)))

    assert len(set(results)) == 1
    assert await store.count("outbox") == 1
    assert await store.count("keys") == 1
