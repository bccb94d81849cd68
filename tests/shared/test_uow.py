"""The unit of work: events reach the outbox only on commit; the inbox claims once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import MetaData, func, select

from shared.db import Database
from shared.events import DomainEvent, Envelope, loads
from shared.messaging_tables import MessagingTables, define_messaging_tables
from shared.settings import Settings
from shared.uow import UnitOfWork


@dataclass(frozen=True, kw_only=True)
class GadgetPriced(DomainEvent):
    event_type = "GadgetPriced"

    gadget_id: str
    amount: Decimal


@dataclass
class Messaging:
    database: Database
    tables: MessagingTables
    wakes: list[str]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            self.database,
            self.tables,
            source="gadgets",
            on_commit=lambda: self.wakes.append("wake"),
        )

    async def outbox(self) -> list[dict[str, object]]:
        async with self.database.session() as session:
            rows = await session.execute(
                select(self.tables.outbox).order_by(self.tables.outbox.c.seq)
            )
            return [dict(row) for row in rows.mappings()]

    async def inbox_count(self) -> int:
        async with self.database.session() as session:
            return int(
                (
                    await session.execute(select(func.count()).select_from(self.tables.inbox))
                ).scalar_one()
            )


@pytest.fixture
async def messaging(settings: Settings) -> AsyncIterator[Messaging]:
    metadata = MetaData()
    tables = define_messaging_tables(metadata)
    database = Database(settings.database_for("catalog"))
    await database.ensure_schema()
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield Messaging(database, tables, [])
    await database.dispose()


def _priced(n: int) -> GadgetPriced:
    return GadgetPriced(gadget_id=f"g{n}", amount=Decimal(f"{n}.50"))


async def test_recorded_events_reach_the_outbox_on_commit(messaging: Messaging) -> None:
    async with messaging.uow() as uow:
        uow.record(_priced(1), _priced(2))
        assert [e.key for e in uow.pending_events] == ["g1", "g2"]
        assert await messaging.outbox() == []
        await uow.commit()
        assert uow.pending_events == ()

    rows = await messaging.outbox()
    assert [(r["event_type"], r["source"], r["event_key"]) for r in rows] == [
        ("GadgetPriced", "gadgets", "g1"),
        ("GadgetPriced", "gadgets", "g2"),
    ]
    assert [loads(str(r["payload"])) for r in rows] == [
        {"gadget_id": "g1", "amount": "1.50"},
        {"gadget_id": "g2", "amount": "2.50"},
    ]
    assert all(r["published_at"] is None and r["attempts"] == 0 for r in rows)
    assert len({r["event_id"] for r in rows}) == 2
    assert messaging.wakes == ["wake"]


async def test_an_exception_leaves_no_event_and_no_state_change(messaging: Messaging) -> None:
    envelope = Envelope(type="Other", source="elsewhere", payload={})

    async def change_then_fail() -> None:
        async with messaging.uow() as uow:
            assert await uow.claim_inbox("gadgets:Other", envelope)
            uow.record(_priced(1))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await change_then_fail()

    assert await messaging.outbox() == []
    assert await messaging.inbox_count() == 0
    assert messaging.wakes == []


async def test_leaving_without_commit_rolls_back(messaging: Messaging) -> None:
    async with messaging.uow() as uow:
        uow.record(_priced(1))

    assert await messaging.outbox() == []
    assert messaging.wakes == []


async def test_rollback_forgets_the_recorded_events(messaging: Messaging) -> None:
    async with messaging.uow() as uow:
        uow.record(_priced(1))
        await uow.rollback()
        assert uow.pending_events == ()
        uow.record(_priced(2))
        await uow.commit()

    assert [r["event_key"] for r in await messaging.outbox()] == ["g2"]
    assert messaging.wakes == ["wake"]


async def test_a_commit_without_events_does_not_wake_the_relay(messaging: Messaging) -> None:
    async with messaging.uow() as uow:
        await uow.claim_inbox("gadgets:Other", Envelope(type="Other", source="x", payload={}))
        await uow.commit()

    assert await messaging.inbox_count() == 1
    assert await messaging.outbox() == []
    assert messaging.wakes == []


async def test_claim_inbox_is_true_once_then_false(messaging: Messaging) -> None:
    envelope = Envelope(type="ProductDeleted", source="catalog", payload={"id": "p1"})

    async with messaging.uow() as uow:
        assert await uow.claim_inbox("reviews:ProductDeleted", envelope) is True
        assert await uow.claim_inbox("reviews:ProductDeleted", envelope) is False
        await uow.commit()
    async with messaging.uow() as uow:
        assert await uow.claim_inbox("reviews:ProductDeleted", envelope) is False
        assert await uow.claim_inbox("search:ProductDeleted", envelope) is True
        other = Envelope(type="ProductDeleted", source="catalog", payload={"id": "p2"})
        assert await uow.claim_inbox("reviews:ProductDeleted", other) is True

    assert await messaging.inbox_count() == 1  # the second unit of work did not commit


async def test_a_rolled_back_claim_can_be_claimed_again(messaging: Messaging) -> None:
    envelope = Envelope(type="T", source="s", payload={}, id=str(uuid.uuid4()))

    async with messaging.uow() as uow:
        assert await uow.claim_inbox("c", envelope)
    async with messaging.uow() as uow:
        assert await uow.claim_inbox("c", envelope)
        await uow.commit()

    assert await messaging.inbox_count() == 1


async def test_the_session_exists_only_inside_the_block(messaging: Messaging) -> None:
    uow = messaging.uow()

    with pytest.raises(RuntimeError, match="not open"):
        _ = uow.session
    async with uow:
        assert uow.session.is_active
        with pytest.raises(RuntimeError, match="entered once"):
            await uow.__aenter__()
    with pytest.raises(RuntimeError, match="not open"):
        _ = uow.session
