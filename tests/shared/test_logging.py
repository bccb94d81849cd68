"""Logging: one JSON object per line carrying the context bound for the request."""

from __future__ import annotations

import logging

import structlog

from tests.shared.logs import json_logs


def test_standard_library_records_become_json_with_context_and_extras() -> None:
    with json_logs() as lines, structlog.contextvars.bound_contextvars(request_id="r-1"):
        logging.getLogger("agora.test").info("hello", extra={"order_id": "o-1"})

    [line] = lines()
    assert line["event"] == "hello"
    assert line["level"] == "info"
    assert line["logger"] == "agora.test"
    assert line["request_id"] == "r-1"
    assert line["order_id"] == "o-1"
    assert line["timestamp"].endswith("Z")


def test_records_below_the_level_are_dropped() -> None:
    with json_logs(level="WARNING") as lines:
        logging.getLogger("agora.test").info("quiet")
        logging.getLogger("agora.test").warning("loud")

    assert [line["event"] for line in lines()] == ["loud"]


def test_exceptions_are_rendered_with_their_traceback() -> None:
    with json_logs() as lines:
        try:
            raise ValueError("kaput")
        except ValueError:
            logging.getLogger("agora.test").exception("failed")

    [line] = lines()
    assert line["level"] == "error"
    assert "Traceback (most recent call last)" in line["exception"]
    assert "ValueError: kaput" in line["exception"]


def test_uvicorn_access_lines_are_silenced() -> None:
    with json_logs() as lines:
        logging.getLogger("uvicorn.access").info("GET / 200")
        logging.getLogger("uvicorn.error").info("started")

    assert [line["event"] for line in lines()] == ["started"]
