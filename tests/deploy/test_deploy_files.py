"""Every deployment file exists and parses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.manifests import (
    ROOT,
    load_all,
    params,
    yaml_files,
)


# --------------------------------------------------------------------------------------------------
# Every YAML file
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    params(yaml_files(), [p.relative_to(ROOT).as_posix() for p in yaml_files()]),
)
def test_yaml_parses(path: Path | None) -> None:
    assert path is not None, "no YAML file found in compose/ or k8s/"
    docs = load_all(path)
    assert docs, f"{path} holds no YAML document"
    assert all(isinstance(doc, dict) for doc in docs), f"{path}: every document must be a mapping"


def test_the_expected_files_exist() -> None:
    for relative in (
        "compose/Dockerfile",
        "compose/router.Dockerfile",
        "compose/docker-compose.yml",
        "compose/.env.example",
        "compose/README.md",
        "k8s/kustomization.yaml",
        "k8s/README.md",
    ):
        assert (ROOT / relative).is_file(), f"{relative} is missing"
