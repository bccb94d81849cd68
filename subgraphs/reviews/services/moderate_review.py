"""Use case: staff (MANAGE_REVIEWS) approve or reject a review — also one approved before (post
moderation) or rejected before (a second look). Who and when is kept on the review; the change is
published as ReviewModerated so rating aggregates (here and in search) follow: a review counts
while it is APPROVED, never otherwise. Deciding what it already is changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from shared.auth import Permission, Principal, require
from subgraphs.reviews.domain.errors import ReviewError, ReviewErrorCode
from subgraphs.reviews.domain.events import ReviewModerated
from subgraphs.reviews.domain.models import MAX_NOTE, Review, ReviewStatus
from subgraphs.reviews.uow import ReviewsUnitOfWork


async def moderate_review(
    uow_factory: Callable[[], ReviewsUnitOfWork],
    *,
    review_id: str,
    approve: bool,
    note: str = "",
    actor: Principal,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Review:
    require(actor, Permission.MANAGE_REVIEWS)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ReviewError(
            ReviewErrorCode.INVALID, f"A note is at most {MAX_NOTE} characters.", field="note"
        )
    target = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    async with uow_factory() as uow:
        review = await uow.reviews.get_for_update(review_id)
        if review is None:
            raise ReviewError(ReviewErrorCode.NOT_FOUND, "No such review.", field="reviewId")
        previous = review.status
        if previous != target.value:
            at = now()
            review.status = target.value
            review.moderated_at = at
            review.moderated_by = f"{actor.kind}:{actor.id or '-'}"
            review.moderation_note = note
            uow.record(
                ReviewModerated(
                    review_id=review.id,
                    product_id=review.product_id,
                    rating=review.rating,
                    status=target.value,
                    previous_status=previous,
                    moderated_at=at.isoformat(),
                )
            )
        await uow.commit()
    return review


def rating_delta(previous: str, status: str) -> int:
    """+1 when a review starts counting, -1 when it stops, else 0."""
    was, now_counts = previous == ReviewStatus.APPROVED, status == ReviewStatus.APPROVED
    return int(now_counts) - int(was)
