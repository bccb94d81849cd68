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
