"""A review's rules and the rating arithmetic, without I/O."""

from __future__ import annotations

from decimal import Decimal

import pytest

from subgraphs.reviews.domain.errors import ReviewError, ReviewErrorCode
from subgraphs.reviews.domain.events import ReviewPosted
from subgraphs.reviews.domain.models import (
    MAX_AUTHOR,
    MAX_BODY,
    MAX_TITLE,
    ProductRating,
    Review,
)

GOOD: dict[str, object] = {
    "product_id": "p1",
    "rating": 4,
    "title": "Solid",
    "body": "Wears well.",
    "author_name": "Ada",
}


def write(**changes: object) -> tuple[Review, ReviewPosted]:
    return Review.write(**{**GOOD, **changes})  # type: ignore[arg-type]


def refused(**changes: object) -> ReviewError:
    with pytest.raises(ReviewError) as caught:
        write(**changes)
    return caught.value


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_one_to_five_stars_are_accepted(rating: int) -> None:
    review, _ = write(rating=rating)

    assert review.rating == rating


@pytest.mark.parametrize("rating", [0, 6, -1, 100])
def test_other_ratings_are_invalid(rating: int) -> None:
    error = refused(rating=rating)

    assert (error.code, error.field) == (ReviewErrorCode.INVALID, "rating")


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_a_title_is_required(title: str) -> None:
    error = refused(title=title)

    assert (error.code, error.field) == (ReviewErrorCode.REQUIRED, "title")


def test_a_title_is_at_most_its_limit_after_collapsing_whitespace() -> None:
    assert write(title="t" * MAX_TITLE)[0].title == "t" * MAX_TITLE
    assert write(title="  a  " + " " * 500 + "b  ")[0].title == "a b"
    error = refused(title="t" * (MAX_TITLE + 1))
    assert (error.code, error.field) == (ReviewErrorCode.INVALID, "title")


@pytest.mark.parametrize("author", ["", "  "])
def test_an_author_is_required(author: str) -> None:
    error = refused(author_name=author)

    assert (error.code, error.field) == (ReviewErrorCode.REQUIRED, "authorName")


def test_an_author_name_is_at_most_its_limit() -> None:
    assert write(author_name=" Ada   Lovelace ")[0].author_name == "Ada Lovelace"
    error = refused(author_name="a" * (MAX_AUTHOR + 1))
    assert (error.code, error.field) == (ReviewErrorCode.INVALID, "authorName")


def test_a_body_is_optional_trimmed_and_at_most_its_limit() -> None:
    assert write(body="")[0].body == ""
    assert write(body="  fine  \n")[0].body == "fine"
    assert write(body="b" * MAX_BODY)[0].body == "b" * MAX_BODY
    error = refused(body="b" * (MAX_BODY + 1))
    assert (error.code, error.field) == (ReviewErrorCode.INVALID, "body")


def test_writing_a_review_records_review_posted_with_its_cleaned_fields() -> None:
    review, posted = write(title="  Solid   buy ", author_name=" Ada ")

    assert posted == ReviewPosted(
        review_id=review.id,
        product_id="p1",
        rating=4,
        title="Solid buy",
        body="Wears well.",
        author_name="Ada",
        created_at=review.created_at.isoformat(),
    )
    assert review.created_at.tzinfo is not None


def test_each_review_gets_its_own_id() -> None:
    assert write()[0].id != write()[0].id


@pytest.mark.parametrize(
    ("count", "total", "average"),
    [
        (0, 0, Decimal("0")),
        (1, 5, Decimal("5.00")),
        (2, 9, Decimal("4.50")),
        (3, 14, Decimal("4.67")),
        (8, 29, Decimal("3.63")),  # 3.625 rounds half up, not to even
    ],
)
def test_the_average_has_two_decimals_rounded_half_up(
    count: int, total: int, average: Decimal
) -> None:
    rating = ProductRating(product_id="p1", count=count, total=total)

    assert rating.average == average
    assert str(rating.average) == str(average)
