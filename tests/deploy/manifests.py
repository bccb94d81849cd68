"""What the deployment tests share: the files, their parsed contents and small helpers.

Nothing here builds an image or starts a container: there is no Docker engine or cluster on the
development machines. The set of subgraphs is derived from the repository (schema/<name>.graphql,
else subgraphs/<name>/app.py) plus the subgraphs that exist today, so adding a subgraph to the
code without adding it to compose/ and k8s/ fails the tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate.utils as kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

pytestmark = pytest.mark.filterwarnings("error")
ROOT = Path(__file__).resolve().parents[2]
COMPOSE_DIR = ROOT / "compose"
K8S_DIR = ROOT / "k8s"
COMPOSE_FILE = COMPOSE_DIR / "docker-compose.yml"
KUSTOMIZATION = K8S_DIR / "kustomization.yaml"

# Kubernetes versions validated against: the contract's target, and the newest schema shipped by
# kubernetes-validate (catches removed APIs early).
K8S_VERSIONS = sorted(
    {"1.31", kubernetes_validate.major_minor(kubernetes_validate.latest_version())}
)

NAMESPACE = "agora"
SUBGRAPH_PORT = 4001
ROUTER_PORT = 4000
SUBGRAPHS_TODAY = {"catalog", "reviews", "search"}
PLACEHOLDER = "CHANGE_ME"
WORKLOAD_KINDS = {"Deployment", "StatefulSet"}


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------
def load_all(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def load_one(path: Path) -> Any:
    docs = load_all(path)
    assert len(docs) == 1, f"{path} should hold exactly one YAML document"
    return docs[0]


def yaml_files() -> list[Path]:
    files = sorted(
        p for d in (COMPOSE_DIR, K8S_DIR) for p in d.rglob("*") if p.suffix in {".yaml", ".yml"}
    )
    return files


def k8s_manifest_files() -> list[Path]:
    return sorted(p for p in K8S_DIR.glob("*.yaml") if p.name != KUSTOMIZATION.name)


def k8s_resources() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, doc) for path in k8s_manifest_files() for doc in load_all(path)]


def expected_subgraphs() -> set[str]:
    """Subgraph names the code defines, plus the ones that exist today.

    Preferred source: schema/<name>.graphql (except the composed supergraph); while that folder
    has none, subgraphs/<name>/app.py.
    """
    from_schema = {p.stem for p in (ROOT / "schema").glob("*.graphql") if p.stem != "supergraph"}
    from_code = {p.parent.name for p in (ROOT / "subgraphs").glob("*/app.py")}
    return SUBGRAPHS_TODAY | (from_schema or from_code)


def id(path: Path, doc: dict[str, Any]) -> str:
    return f"{path.name}:{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def params(items: Iterable[Any], ids: Iterable[str]) -> list[Any]:
    """Parametrize values; an empty list would make pytest skip, so it becomes a failing case."""
    params = [pytest.param(item, id=i) for item, i in zip(items, ids, strict=True)]
    return params or [pytest.param(None, id="nothing-found")]


K8S_RESOURCE_PARAMS = params(
    [(path, doc) for path, doc in k8s_resources()],
    [id(path, doc) for path, doc in k8s_resources()],
)
SUBGRAPH_PARAMS = params(sorted(expected_subgraphs()), sorted(expected_subgraphs()))


def find(resources: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = [r for r in resources if r["kind"] == kind and r["metadata"]["name"] == name]
    assert len(found) == 1, f"expected exactly one {kind}/{name} in k8s/, found {len(found)}"
    return found[0]


def workloads(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in resources if r["kind"] in WORKLOAD_KINDS]


def containers(pod_spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from pod_spec.get("initContainers", [])
    yield from pod_spec["containers"]


def selector_matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Kubernetes label-selector semantics (matchLabels + matchExpressions)."""
    for key, value in selector.get("matchLabels", {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions", []):
        key, op, values = expr["key"], expr["operator"], expr.get("values", [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def port_number(container: dict[str, Any], port: int | str) -> int:
    """Resolve a probe/Service port (number or container port name) to a number."""
    if isinstance(port, int):
        return port
    named = [p["containerPort"] for p in container.get("ports", []) if p.get("name") == port]
    assert named, f"container {container['name']} has no port named {port!r}"
    return int(named[0])


def dockerfile_uid(path: Path) -> int:
    users = re.findall(r"^USER\s+(\S+)", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert users, f"{path} has no USER instruction"
    uid = users[-1].split(":")[0]
    assert uid.isdigit(), f"{path}: USER must be numeric so that runAsNonRoot can check it"
    return int(uid)
