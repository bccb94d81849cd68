"""Every process that serves or calls a subgraph gets the router's signing secret, from a Secret."""

from __future__ import annotations

from typing import Any

from tests.deploy.manifests import containers, workloads


def _pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def test_k8s_agora_containers_read_the_router_secret_from_the_secret(
    resources: list[dict[str, Any]],
) -> None:
    agora = [
        (w["metadata"]["name"], c)
        for w in workloads(resources)
        for c in containers(_pod_spec(w))
        # The web app is a public client of the router: it never holds the secret.
        if str(c.get("image", "")).startswith("agora/")
        and not str(c.get("image", "")).startswith("agora/web")
    ]
    assert agora
    for name, container in agora:
        refs = {
            e["name"]: e.get("valueFrom", {}).get("secretKeyRef") for e in container.get("env", [])
        }
        assert refs.get("AGORA_ROUTER_SECRET") == {
            "name": "agora-secrets",
            "key": "AGORA_ROUTER_SECRET",
        }, name


def test_compose_router_and_subgraphs_share_the_secret_variable(compose: dict[str, Any]) -> None:
    services = compose["services"]
    agora = {
        n: s
        for n, s in services.items()
        if str(s.get("image", "")).startswith("agora/")
        and not str(s.get("image", "")).startswith("agora/web")  # a public client of the router
    }
    assert "router" in agora
    for name, service in agora.items():
        value = service["environment"]["AGORA_ROUTER_SECRET"]
        assert value.startswith("${AGORA_ROUTER_SECRET:?"), name
