"""The images' Dockerfiles and their .dockerignore files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.deploy.manifests import (
    COMPOSE_DIR,
    ROUTER_PORT,
    SUBGRAPH_PORT,
    dockerfile_uid,
)


# --------------------------------------------------------------------------------------------------
# Dockerfiles (text: no engine here to build them)
# --------------------------------------------------------------------------------------------------
def _instructions(path: Path) -> list[str]:
    lines, current = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        current = f"{current} {line.rstrip(chr(92)).strip()}".strip()
        if not line.endswith("\\"):
            lines.append(current)
            current = ""
    return lines


def test_subgraph_dockerfile() -> None:
    lines = _instructions(COMPOSE_DIR / "Dockerfile")
    assert lines[0] == "FROM python:3.11-slim"
    text = "\n".join(lines)
    assert re.search(r"pip install .*\buv\b", text), "install uv from PyPI"
    assert "uv sync --frozen --no-dev" in text
    for source in ("shared/", "subgraphs/", "schema/", "pyproject.toml", "uv.lock"):
        assert any(line.startswith("COPY ") and source in line for line in lines), f"COPY {source}"
    assert f"EXPOSE {SUBGRAPH_PORT}" in lines
    assert dockerfile_uid(COMPOSE_DIR / "Dockerfile") != 0


def test_router_dockerfile() -> None:
    lines = _instructions(COMPOSE_DIR / "router.Dockerfile")
    assert lines[0] == "FROM node:20-slim"
    assert any(line.startswith("RUN npm ci") for line in lines)
    assert "COPY router/package.json router/package-lock.json ./" in lines
    assert any(
        line.startswith("COPY schema/supergraph.graphql /app/schema/supergraph.graphql")
        for line in lines
    )
    assert [line for line in lines if line.startswith("WORKDIR")][-1] == "WORKDIR /app/router"
    assert lines[-1] == 'CMD ["npm", "start"]'
    assert f"EXPOSE {ROUTER_PORT}" in lines
    assert dockerfile_uid(COMPOSE_DIR / "router.Dockerfile") != 0


def test_web_dockerfile() -> None:
    lines = _instructions(COMPOSE_DIR / "web.Dockerfile")
    assert lines[0] == "FROM node:20-slim AS build"
    assert "COPY frontend/package.json frontend/package-lock.json ./" in lines
    assert "COPY schema/supergraph.graphql /src/schema/supergraph.graphql" in lines
    # Codegen from the committed supergraph and the type check gate the image like `make test`.
    assert "RUN npm run codegen && npm run typecheck && npm run build" in lines
    assert "COPY --from=build /src/frontend/dist /app/dist" in lines
    assert lines[-1] == 'CMD ["node", "/app/serve.mjs"]'
    assert "EXPOSE 3000" in lines
    assert dockerfile_uid(COMPOSE_DIR / "web.Dockerfile") != 0


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "router.Dockerfile", "web.Dockerfile"])
def test_dockerignore_beside_each_dockerfile(dockerfile: str) -> None:
    """BuildKit reads <Dockerfile>.dockerignore: the context (repo root) starts empty, then re-includes."""
    path = COMPOSE_DIR / f"{dockerfile}.dockerignore"
    patterns = [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "**"
    assert all(
        not p.startswith("!") or (".venv" not in p and "node_modules" not in p) for p in patterns
    )
