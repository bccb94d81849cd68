"""The storefront's operations are checked against the router's public schema (derived from the
committed supergraph): a schema change that breaks an operation fails code generation, which
``make test`` runs before anything else of the frontend."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from subgraphs.launcher import ROOT

FRONTEND = ROOT / "frontend"


def codegen(schema: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", "node_modules/@graphql-codegen/cli/cjs/bin.js", "--config", "codegen.ts"],
        cwd=FRONTEND,
        env={**os.environ, "AGORA_CODEGEN_SCHEMA": str(schema), "AGORA_CODEGEN_OUT": f"{out}/"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def public_schema(tmp_path_factory: pytest.TempPathFactory) -> str:
    made = subprocess.run(
        ["node", "scripts/public-schema.mjs"],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    return (FRONTEND / "src" / "gql" / "public.graphql").read_text(encoding="utf-8")


def test_the_operations_are_valid_against_the_committed_schema(
    public_schema: str, tmp_path: Path
) -> None:
    schema = tmp_path / "schema.graphql"
    schema.write_text(public_schema, encoding="utf-8")
    result = codegen(schema, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CheckoutCompleteDocument" in (tmp_path / "out" / "graphql.ts").read_text()


def test_removing_a_field_an_operation_uses_fails_codegen(
    public_schema: str, tmp_path: Path
) -> None:
    # The checkout's order token is what lets a guest see their order confirmation.
    broken, count = re.subn(r"\n  orderToken: String\n", "\n", public_schema)
    assert count == 1
    schema = tmp_path / "schema.graphql"
    schema.write_text(broken, encoding="utf-8")
    result = codegen(schema, tmp_path / "out")
    assert result.returncode != 0
    assert 'Cannot query field "orderToken" on type "Checkout"' in result.stdout + result.stderr
    assert not (tmp_path / "out" / "graphql.ts").exists()
