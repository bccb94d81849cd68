"""Parsed deployment files, once per module."""

from __future__ import annotations

from typing import Any

import pytest

from tests.deploy.manifests import COMPOSE_FILE, k8s_resources, load_one


@pytest.fixture(scope="module")
def resources() -> list[dict[str, Any]]:
    return [doc for _, doc in k8s_resources()]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = load_one(COMPOSE_FILE)
    assert isinstance(document, dict)
    return document
