"""Keyset pagination: opaque cursors that round-trip, garbage refused, ``first`` bounded."""

from __future__ import annotations

import base64
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    PageRequest,
    PaginationError,
    decode_cursor,
    encode_cursor,
)

# What a sort key holds: JSON scalars orjson can encode (64-bit ints, no lone surrogates).
KEY_PARTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(codec="utf-8")),
)


def _b64(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).decode().rstrip("=")


def test_a_cursor_round_trips_a_sort_key() -> None:
    key = ["Blue mug", "3f1c2a9e-0000-4000-8000-000000000001", 12, None]

    cursor = encode_cursor(key)

    assert decode_cursor(cursor) == key
    assert "=" not in cursor
    assert cursor.replace("-", "").replace("_", "").isalnum()


@given(st.lists(KEY_PARTS, min_size=1, max_size=6))
def test_every_sort_key_round_trips(key: list[Any]) -> None:
    assert decode_cursor(encode_cursor(key)) == key


@given(st.text())
def test_any_text_decodes_to_a_key_or_a_pagination_error(text: str) -> None:
    key: list[Any] | None = None
    error: PaginationError | None = None
    try:
        key = decode_cursor(text)
    except PaginationError as exc:  # anything else (TypeError, UnicodeError …) fails the test
        error = exc

    if error is not None:
        assert error.field == "after"
    else:
        assert isinstance(key, list)
        assert key


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "a",
        "%%%%",
        "é",
        "\ud800",
        _b64(b"not json"),
        _b64(b"{}"),
        _b64(b'{"id": 1}'),
        _b64(b"[]"),
        _b64(b"null"),
        _b64(b'"abc"'),
        _b64(b"42"),
        _b64(b"\xff\xfe"),
    ],
)
def test_garbage_cursors_are_pagination_errors_on_after(cursor: str) -> None:
    with pytest.raises(PaginationError, match="after is not a valid cursor") as caught:
        decode_cursor(cursor)

    assert caught.value.field == "after"


def test_parse_defaults() -> None:
    assert PageRequest.parse(None, None) == PageRequest(first=DEFAULT_PAGE_SIZE, after=None)
    assert PageRequest.parse(5, "") == PageRequest(first=5, after=None)


def test_null_first_means_the_fields_own_default() -> None:
    assert PageRequest.parse(None, None, default=10).first == 10
    assert PageRequest.parse(3, None, default=10).first == 3


def test_parse_decodes_after() -> None:
    request = PageRequest.parse(10, encode_cursor(["b", 2]))

    assert request == PageRequest(first=10, after=["b", 2])


@pytest.mark.parametrize("first", [0, 1, MAX_PAGE_SIZE])
def test_first_within_bounds(first: int) -> None:
    assert PageRequest.parse(first, None).first == first


@pytest.mark.parametrize("first", [-1, MAX_PAGE_SIZE + 1, 10_000])
def test_first_out_of_bounds_is_a_pagination_error_on_first(first: int) -> None:
    with pytest.raises(PaginationError, match="first must be between 0 and 100") as caught:
        PageRequest.parse(first, None)

    assert caught.value.field == "first"


def test_a_bad_after_is_reported_on_after_by_parse() -> None:
    with pytest.raises(PaginationError) as caught:
        PageRequest.parse(10, _b64(orjson.dumps({"seq": 1})))

    assert caught.value.field == "after"
