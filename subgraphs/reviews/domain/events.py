"""Events the reviews subgraph publishes. Payloads are a public contract (see README)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ReviewPosted(DomainEvent):
    event_type: ClassVar[str] = "ReviewPosted"
    review_id: str
    product_id: str
    rating: int
    title: str
    body: str
    author_name: str
    created_at: str
    status: str = "APPROVED"  # PENDING when the shop moderates before publishing


@dataclass(frozen=True, kw_only=True)
class ReviewModerated(DomainEvent):
    """A staff member approved or rejected a review. Rating aggregates add the rating when a
    review becomes APPROVED and take it off when an APPROVED one is rejected (deltas: the sum is
    right in any order of delivery)."""

    event_type: ClassVar[str] = "ReviewModerated"
    review_id: str
    product_id: str
    rating: int
    status: str
    previous_status: str
    moderated_at: str
