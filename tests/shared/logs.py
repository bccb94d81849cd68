"""Capture what ``shared.logging.configure_logging`` writes, as parsed JSON lines."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import structlog

from shared.logging import configure_logging
from shared.settings import load_settings

JsonLines = Callable[[], list[dict[str, Any]]]
_TOUCHED = ("uvicorn", "uvicorn.error", "uvicorn.access")


@contextlib.contextmanager
def json_logs(level: str = "INFO") -> Iterator[JsonLines]:
    """Configure JSON logging into a buffer; restore the logging setup afterwards."""
    root = logging.getLogger()
    saved_root = (root.handlers[:], root.level)
    saved = {
        name: (
            logging.getLogger(name).handlers[:],
            logging.getLogger(name).propagate,
            logging.getLogger(name).level,
        )
        for name in _TOUCHED
    }
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        configure_logging(load_settings({"AGORA_LOG_FORMAT": "json", "AGORA_LOG_LEVEL": level}))
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line]
    finally:
        root.handlers[:], level_saved = saved_root
        root.setLevel(level_saved)
        for name, (handlers, propagate, level_) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.propagate = propagate
            logger.setLevel(level_)
        structlog.reset_defaults()
