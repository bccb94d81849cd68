"""Use case: checkout reserves stock for a cart — every line or none.

Each (variant, warehouse) row is taken by ONE conditional UPDATE whose result says whether the
units were there (``StockRepository``). Several reservations may share one transaction (see
``services.batching``): their lines are handled in one global (variant id, request) order, so
concurrent transactions lock rows in the same order and cannot deadlock; a reservation with a
short line gives back, inside the same transaction and before anyone can see it, what its other
lines took, and its row is deleted — the transaction commits the others. A lone reservation is
a batch of one. The caller's reservation id is the idempotency key: the same id with the same
lines returns the stored reservation; with other lines it is refused.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import groupby

import orjson

from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode, Shortage
from subgraphs.inventory.domain.events import StockReserved, availability_events
from subgraphs.inventory.domain.models import (
    Allocation,
    LineRequest,
    ReservationStatus,
    ReservationView,
    ReservedLine,
    check_identifier,
    check_lines,
)
from subgraphs.inventory.services.conflicts import Contention, retrying
from subgraphs.inventory.services.read_reservation import load_reservation
from subgraphs.inventory.settings import MAX_TTL_SECONDS, InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork

STALE_HINT_RETRIES = 20
Outcome = ReservationView | InventoryError


@dataclass(frozen=True, slots=True)
class ReservationRequest:
    """A checked request: lines sorted by variant id, TTL resolved, input fingerprinted."""

    reservation_id: str
    owner: str
    lines: tuple[LineRequest, ...]
    ttl_seconds: int
    caller: str
    fingerprint: str


def request_hash(owner: str, lines: Sequence[LineRequest]) -> str:
    """SHA-256 of the owner and the (sorted) lines: one text for one request."""
    data = [owner, [[line.variant_id, line.quantity] for line in lines]]
    return hashlib.sha256(orjson.dumps(data)).hexdigest()


def check_request(
    *,
    reservation_id: str,
    owner: str,
    lines: Sequence[LineRequest],
    ttl_seconds: int | None,
    caller: str,
    settings: InventorySettings,
) -> ReservationRequest:
    """Raises InventoryError (INVALID, REQUIRED, DUPLICATE) for bad input."""
    check_identifier(reservation_id, "reservation_id")
    check_identifier(owner, "owner")
    ordered = check_lines(list(lines))
    ttl = settings.reservation_ttl_seconds if ttl_seconds is None else ttl_seconds
    if not 1 <= ttl <= MAX_TTL_SECONDS:
        raise InventoryError(
            InventoryErrorCode.INVALID,
            f"ttl_seconds is 1 to {MAX_TTL_SECONDS}.",
            field="ttl_seconds",
        )
    return ReservationRequest(
        reservation_id=reservation_id,
        owner=owner,
        lines=tuple(ordered),
        ttl_seconds=ttl,
        caller=caller,
        fingerprint=request_hash(owner, ordered),
    )


async def reserve_stock(
    uow_factory: Callable[[], InventoryUnitOfWork],
    *,
    reservation_id: str,
    owner: str,
    lines: Sequence[LineRequest],
    ttl_seconds: int | None,
    caller: str,
    settings: InventorySettings,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ReservationView:
    """Reserve ``lines`` for ``owner`` (a cart) until the TTL runs out, in its own transaction.
    Raises InventoryError: INSUFFICIENT_STOCK (with every short line; nothing reserved),
    IDEMPOTENCY_KEY_REUSED, or INVALID/REQUIRED/DUPLICATE for bad input."""
    request = check_request(
        reservation_id=reservation_id,
        owner=owner,
        lines=lines,
        ttl_seconds=ttl_seconds,
        caller=caller,
        settings=settings,
    )
    (outcome,) = await reserve_in_one_transaction(uow_factory, [request], settings, now=now)
    if isinstance(outcome, InventoryError):
        raise outcome
    return outcome


async def reserve_in_one_transaction(
    uow_factory: Callable[[], InventoryUnitOfWork],
    requests: Sequence[ReservationRequest],
    settings: InventorySettings,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[Outcome]:
    """Each request's reservation or refusal, all decided in one transaction (ids distinct);
    the transaction is retried as a whole on deadlock/serialization/busy errors."""

    async def attempt() -> list[Outcome]:
        async with uow_factory() as uow:
            outcomes = await _reserve_many(uow, requests, now())
            await uow.commit()
            return outcomes

    return await retrying(attempt, attempts=settings.conflict_retries)


@dataclass
class _Progress:
    request: ReservationRequest
    lines: list[ReservedLine] = field(default_factory=list)
    shortages: list[Shortage] = field(default_factory=list)
    taken: list[tuple[str, str, int]] = field(default_factory=list)


async def _reserve_many(
    uow: InventoryUnitOfWork, requests: Sequence[ReservationRequest], at: datetime
) -> list[Outcome]:
    claimed = await uow.reservations.claim_many(
        [
            {
                "id": r.reservation_id,
                "owner": r.owner,
                "caller": r.caller,
                "request_hash": r.fingerprint,
                "status": ReservationStatus.RESERVED.value,
                "created_at": at,
                "expires_at": at + timedelta(seconds=r.ttl_seconds),
            }
            for r in requests
        ]
    )
    outcomes: dict[str, Outcome] = {}
    progress = [_Progress(r) for r in requests if r.reservation_id in claimed]
    for request in requests:
        if request.reservation_id not in claimed:
            outcomes[request.reservation_id] = await _replay(uow, request)
    await _allocate(uow, progress)
    refused = [p for p in progress if p.shortages]
    if refused:
        # Inside this transaction, before anyone can see them: give back what refused requests'
        # other lines took (rows this transaction already holds), and forget their ids.
        await uow.stock.give_back([t for p in refused for t in p.taken])
        await uow.reservations.forget([p.request.reservation_id for p in refused])
        for p in refused:
            outcomes[p.request.reservation_id] = InventoryError(
                InventoryErrorCode.INSUFFICIENT_STOCK,
                "Not enough stock for every line; nothing was reserved.",
                field="lines",
                shortages=sorted(p.shortages, key=lambda s: s.variant_id),
            )
    accepted = [p for p in progress if not p.shortages]
    if accepted:
        await uow.reservations.add_lines(
            [
                {
                    "reservation_id": p.request.reservation_id,
                    "variant_id": line.variant_id,
                    "quantity": line.quantity,
                    "backordered": line.backordered,
                }
                for p in accepted
                for line in p.lines
            ]
        )
        await uow.reservations.add_allocations(
            [
                {
                    "reservation_id": p.request.reservation_id,
                    "variant_id": v,
                    "warehouse_id": w,
                    "quantity": q,
                }
                for p in accepted
                for v, w, q in p.taken
            ]
        )
    for p in accepted:
        expires_at = at + timedelta(seconds=p.request.ttl_seconds)
        uow.record(
            StockReserved(
                reservation_id=p.request.reservation_id,
                owner=p.request.owner,
                expires_at=expires_at.isoformat(),
                lines=[
                    {
                        "variant_id": r.variant_id,
                        "quantity": r.quantity,
                        "backordered": r.backordered,
                    }
                    for r in p.lines
                ],
            ),
        )
        outcomes[p.request.reservation_id] = ReservationView(
            id=p.request.reservation_id,
            owner=p.request.owner,
            status=ReservationStatus.RESERVED,
            expires_at=expires_at,
            lines=tuple(p.lines),
        )
    await _record_availability(uow, accepted)
    return [outcomes[r.reservation_id] for r in requests]


async def _allocate(uow: InventoryUnitOfWork, progress: list[_Progress]) -> None:
    """Take stock for every line; rows are taken in (variant id, request) order."""
    work = sorted(
        (
            (line.variant_id, index, line)
            for index, p in enumerate(progress)
            for line in p.request.lines
        ),
        key=lambda item: (item[0], item[1]),
    )
    for variant_id, group in groupby(work, key=lambda item: item[0]):
        live: list[tuple[int, LineRequest]] = []
        for _, index, line in group:
            if progress[index].shortages:  # refused already: take nothing more, report if short
                available = (await uow.stock.available([variant_id]))[variant_id]
                if available < line.quantity:
                    progress[index].shortages.append(
                        Shortage(variant_id, line.quantity, max(available, 0))
                    )
            else:
                live.append((index, line))
        if len(live) > 1 and await _take_together(uow, variant_id, live, progress):
            continue
        for index, line in live:
            outcome = await _reserve_line(uow, line)
            current = progress[index]
            if isinstance(outcome, Shortage):
                current.shortages.append(outcome)
                continue
            current.lines.append(outcome)
            current.taken.extend(
                (line.variant_id, a.warehouse_id, a.quantity) for a in outcome.allocations
            )


async def _take_together(
    uow: InventoryUnitOfWork,
    variant_id: str,
    live: list[tuple[int, LineRequest]],
    progress: list[_Progress],
) -> bool:
    """Several reservations' lines of one variant from one warehouse in ONE conditional
    statement for their total (all of them or, returning False, none — then line by line).
    Each line is covered by units the statement took: the row cannot go below zero."""
    total = sum(line.quantity for _, line in live)
    warehouse_id = await uow.stock.take_whole_line(variant_id, total)
    if warehouse_id is None:
        return False
    for index, line in live:
        progress[index].lines.append(
            ReservedLine(
                variant_id=variant_id,
                quantity=line.quantity,
                allocations=(Allocation(warehouse_id, line.quantity),),
                backordered=0,
            )
        )
        progress[index].taken.append((variant_id, warehouse_id, line.quantity))
    return True


async def _record_availability(uow: InventoryUnitOfWork, accepted: list[_Progress]) -> None:
    """StockChanged (and StockLow) per variant the committed reservations took from, with the
    availability after the whole transaction."""
    net: dict[str, int] = defaultdict(int)
    for p in accepted:
        for variant_id, _, quantity in p.taken:
            net[variant_id] += quantity
    if not net:
        return
    variants = sorted(net)
    after = await uow.stock.available(variants)
    items = await uow.items.settings(variants)
    for variant_id in variants:
        uow.record(
            *availability_events(
                variant_id,
                before=after[variant_id] + net[variant_id],
                after=after[variant_id],
                threshold=items[variant_id].low_stock_threshold,
            )
        )


async def _replay(uow: InventoryUnitOfWork, request: ReservationRequest) -> Outcome:
    row = await uow.reservations.get(request.reservation_id)
    if row is None:  # claimed by a transaction that rolled back since: try again
        raise Contention(request.reservation_id)
    if row.request_hash != request.fingerprint:
        return InventoryError(
            InventoryErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This reservation id was used for other lines; use a new id for a new reservation.",
            field="reservation_id",
        )
    return await load_reservation(uow, row)


async def _reserve_line(uow: InventoryUnitOfWork, line: LineRequest) -> ReservedLine | Shortage:
    """Allocate one line: whole from the first warehouse (by priority) that holds it, else split
    over the warehouses in priority order, the rest backordered when the variant allows it."""
    whole = await uow.stock.take_whole_line(line.variant_id, line.quantity)
    if whole is not None:
        return ReservedLine(
            variant_id=line.variant_id,
            quantity=line.quantity,
            allocations=(Allocation(whole, line.quantity),),
            backordered=0,
        )
    remaining = line.quantity
    allocations: list[Allocation] = []
    for warehouse_id, first_hint in await uow.stock.hints(line.variant_id):
        hint = first_hint
        for _ in range(STALE_HINT_RETRIES):
            if hint <= 0:
                break
            ask = min(remaining, hint)
            if await uow.stock.take_at(line.variant_id, warehouse_id, ask):
                allocations.append(Allocation(warehouse_id, ask))
                remaining -= ask
                break
            hint = await uow.stock.row_available(line.variant_id, warehouse_id)
        else:
            raise Contention(line.variant_id)
        if remaining == 0:
            break
    taken_total = line.quantity - remaining
    if remaining > 0:
        item = (await uow.items.settings([line.variant_id]))[line.variant_id]
        if not item.allow_backorder:
            # give back at once what this line took (rows this transaction holds)
            await uow.stock.give_back(
                [(line.variant_id, a.warehouse_id, a.quantity) for a in allocations]
            )
            return Shortage(line.variant_id, requested=line.quantity, available=taken_total)
    return ReservedLine(
        variant_id=line.variant_id,
        quantity=line.quantity,
        allocations=tuple(allocations),
        backordered=remaining,
    )
