"""The committed SDL and supergraph match the code, and composition reports no error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from shared.bus.memory import InMemoryEventBus
from shared.settings import Settings
from subgraphs import registry
from subgraphs.launcher import ROOT

SCHEMA_DIR = ROOT / "schema"
COMPOSE = ROOT / "router" / "compose.mjs"


def _node() -> str:
    node = shutil.which("node")
    assert node is not None, "node is required (the router and composition run on it)"
    return node


def test_every_subgraph_sdl_is_committed_and_current(tmp_path: Path) -> None:
    settings = Settings(env="test", data_dir=tmp_path)
    apps = registry.build(settings, InMemoryEventBus())
    stale = [
        app.name
        for app in apps
        if (SCHEMA_DIR / f"{app.name}.graphql").read_text() != app.schema.as_str().rstrip() + "\n"
    ]
    assert stale == [], f"schema/ is out of date for {stale}: run `make schema`"
    committed = {p.stem for p in SCHEMA_DIR.glob("*.graphql")} - {"supergraph"}
    assert committed == set(registry.SUBGRAPHS)


def test_supergraph_composes_and_is_current() -> None:
    result = subprocess.run(
        [_node(), str(COMPOSE), "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_composition_errors_fail_the_check(tmp_path: Path) -> None:
    """A subgraph that redefines a catalog field without @shareable breaks composition."""
    for sdl in SCHEMA_DIR.glob("*.graphql"):
        if sdl.stem != "supergraph":
            shutil.copy(sdl, tmp_path / sdl.name)
    (tmp_path / "rogue.graphql").write_text(
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])\n'
        'type Product @key(fields: "id") { id: ID! name: Int! }\n'
        "type Query { rogue: Product }\n"
    )
    out = tmp_path / "supergraph.graphql"
    result = subprocess.run(
        [_node(), str(COMPOSE), "--schema-dir", str(tmp_path), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Product.name" in result.stdout + result.stderr
