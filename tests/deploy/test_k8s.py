"""The Kubernetes manifests: valid against the 1.31 and newest schemas (strict), and keeping the
deployment contract (probes, ports, non-root, limits, selectors, network isolation, secrets)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate.utils as kubernetes_validate  # type: ignore[import-untyped]
import pytest

from tests.deploy.manifests import (
    COMPOSE_DIR,
    K8S_RESOURCE_PARAMS,
    K8S_VERSIONS,
    KUSTOMIZATION,
    NAMESPACE,
    PLACEHOLDER,
    ROUTER_PORT,
    SUBGRAPH_PARAMS,
    SUBGRAPH_PORT,
    containers,
    dockerfile_uid,
    expected_subgraphs,
    find,
    id,
    k8s_manifest_files,
    load_one,
    port_number,
    selector_matches,
    workloads,
)


# --------------------------------------------------------------------------------------------------
# Kubernetes: schema validation
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("item", K8S_RESOURCE_PARAMS)
def test_k8s_resource_validates_against_schema(
    item: tuple[Path, dict[str, Any]] | None, version: str
) -> None:
    assert item is not None, "no Kubernetes manifest found in k8s/"
    path, doc = item
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.ValidationError as error:
        where = ".".join(str(p) for p in error.path)
        pytest.fail(
            f"{id(path, doc)} is invalid for Kubernetes {version}: {where}: {error.message}"
        )
    except kubernetes_validate.SchemaNotFoundError as error:
        pytest.fail(f"{id(path, doc)}: {error.message}")


def test_kustomization_lists_every_manifest() -> None:
    kustomization = load_one(KUSTOMIZATION)
    assert kustomization["apiVersion"] == "kustomize.config.k8s.io/v1beta1"
    assert kustomization["kind"] == "Kustomization"
    assert kustomization["namespace"] == NAMESPACE
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed)), "a resource is listed twice"
    assert set(listed) == {p.name for p in k8s_manifest_files()}, (
        "kustomization.yaml and k8s/*.yaml differ"
    )


def test_kustomization_images_cover_the_workloads(
    resources: list[dict[str, Any]],
) -> None:
    kustomized = {image["name"] for image in load_one(KUSTOMIZATION).get("images", [])}
    ours = {
        c["image"].rsplit(":", 1)[0]
        for w in workloads(resources)
        for c in containers(w["spec"]["template"]["spec"])
        if c["image"].startswith("agora/")
    }
    assert ours == {"agora/subgraphs", "agora/router", "agora/web"}
    assert ours <= kustomized, (
        "set registry/tag of every Agora image through kustomization `images`"
    )


def test_everything_lives_in_the_agora_namespace(
    resources: list[dict[str, Any]],
) -> None:
    find(resources, "Namespace", NAMESPACE)
    for doc in resources:
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == NAMESPACE, (
                f"{doc['kind']}/{doc['metadata']['name']}"
            )


def test_resource_names_are_unique(resources: list[dict[str, Any]]) -> None:
    keys = [(r["kind"], r["metadata"]["name"]) for r in resources]
    assert len(keys) == len(set(keys)), f"duplicate resources: {sorted(keys)}"


# --------------------------------------------------------------------------------------------------
# Kubernetes: structure
# --------------------------------------------------------------------------------------------------
def test_k8s_subgraphs_match_the_code(resources: list[dict[str, Any]]) -> None:
    deployments = {
        r["metadata"]["name"]
        for r in resources
        if r["kind"] == "Deployment"
        and r["spec"]["template"]["metadata"]["labels"].get("app.kubernetes.io/component")
        == "subgraph"
    }
    services = {
        r["metadata"]["name"]
        for r in resources
        if r["kind"] == "Service"
        and r["spec"].get("selector", {}).get("app.kubernetes.io/component") == "subgraph"
    }
    assert deployments == expected_subgraphs()
    assert services == expected_subgraphs()


@pytest.mark.parametrize("name", SUBGRAPH_PARAMS)
def test_k8s_subgraph_deployment(resources: list[dict[str, Any]], name: str | None) -> None:
    assert name is not None
    deployment = find(resources, "Deployment", name)
    spec = deployment["spec"]
    assert spec["replicas"] >= 2
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    assert labels["app.kubernetes.io/name"] == name
    assert labels["app.kubernetes.io/component"] == "subgraph"

    [server] = pod["containers"]
    assert server["image"].startswith("agora/subgraphs:")
    assert server["command"] == [
        "python",
        "-m",
        "subgraphs",
        "serve",
        "--only",
        name,
        "--host",
        "0.0.0.0",
        "--port",
        str(SUBGRAPH_PORT),
    ]
    assert [p["containerPort"] for p in server["ports"]] == [SUBGRAPH_PORT]
    probes = {
        "livenessProbe": f"/{name}/healthz",
        "readinessProbe": f"/{name}/readyz",
        "startupProbe": f"/{name}/healthz",
    }
    for probe, path in probes.items():
        http_get = server[probe]["httpGet"]
        assert http_get["path"] == path, f"{name}: {probe} path"
        assert port_number(server, http_get["port"]) == SUBGRAPH_PORT, f"{name}: {probe} port"

    # migrations: an init container with the same image
    [migrate] = pod["initContainers"]
    assert migrate["image"] == server["image"]
    assert migrate["command"] == [
        "python",
        "-m",
        "subgraphs",
        "migrate",
        "--only",
        name,
    ]

    for container in (migrate, server):
        assert {"configMapRef": {"name": "agora-config"}} in container["envFrom"]
        env = {e["name"]: e for e in container["env"]}
        assert env["AGORA_DB_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
            "name": "agora-secrets",
            "key": "AGORA_DB_PASSWORD",
        }
        names = [e["name"] for e in container["env"]]
        assert names.index("AGORA_DB_PASSWORD") < names.index("AGORA_DATABASE_URL"), (
            "$(VAR) needs VAR defined first"
        )
        assert (
            env["AGORA_DATABASE_URL"]["value"]
            == "postgresql+asyncpg://agora:$(AGORA_DB_PASSWORD)@postgres:5432/agora"
        )

    annotations = spec["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/path"] == "/metrics"
    assert annotations["prometheus.io/port"] == str(SUBGRAPH_PORT)

    assert pod["securityContext"]["runAsUser"] == dockerfile_uid(COMPOSE_DIR / "Dockerfile")

    service = find(resources, "Service", name)
    [port] = service["spec"]["ports"]
    assert port["port"] == SUBGRAPH_PORT
    assert service["spec"].get("type", "ClusterIP") == "ClusterIP", (
        "subgraphs must not be exposed outside the cluster"
    )


def test_k8s_shared_config(resources: list[dict[str, Any]]) -> None:
    data = find(resources, "ConfigMap", "agora-config")["data"]
    assert data["AGORA_ENV"] == "production"
    assert data["AGORA_LOG_FORMAT"] == "json"
    assert data["AGORA_REDIS_URL"] == "redis://redis:6379/0"


def test_k8s_router(resources: list[dict[str, Any]]) -> None:
    deployment = find(resources, "Deployment", "router")
    assert deployment["spec"]["replicas"] >= 2
    pod = deployment["spec"]["template"]["spec"]
    [router] = pod["containers"]
    assert router["image"].startswith("agora/router:")
    assert [p["containerPort"] for p in router["ports"]] == [ROUTER_PORT]
    for probe, path in {
        "livenessProbe": "/healthcheck",
        "readinessProbe": "/readiness",
        "startupProbe": "/healthcheck",
    }.items():
        assert router[probe]["httpGet"]["path"] == path
        assert port_number(router, router[probe]["httpGet"]["port"]) == ROUTER_PORT
    assert {"configMapRef": {"name": "agora-router-config"}} in router["envFrom"]
    assert pod["securityContext"]["runAsUser"] == dockerfile_uid(COMPOSE_DIR / "router.Dockerfile")

    config = find(resources, "ConfigMap", "agora-router-config")["data"]
    assert config["AGORA_ROUTER_HOST"] == "0.0.0.0"
    assert config["AGORA_ROUTER_PORT"] == str(ROUTER_PORT)
    assert config["AGORA_ROUTER_GRAPHIQL"] == "false"
    assert config["AGORA_ROUTER_INTROSPECTION"] == "false"
    urls = {k: v for k, v in config.items() if k.startswith("AGORA_SUBGRAPH_URL_")}
    assert urls == {
        f"AGORA_SUBGRAPH_URL_{name.upper()}": f"http://{name}:{SUBGRAPH_PORT}/{name}/graphql"
        for name in expected_subgraphs()
    }

    labels = deployment["spec"]["template"]["metadata"]["labels"]
    pdbs = [
        r
        for r in resources
        if r["kind"] == "PodDisruptionBudget" and selector_matches(r["spec"]["selector"], labels)
    ]
    assert len(pdbs) == 1, "the router needs one PodDisruptionBudget"
    assert pdbs[0]["spec"].get("minAvailable", 0) >= 1 or "maxUnavailable" in pdbs[0]["spec"]


def test_k8s_ingress_reaches_only_the_router_and_the_web_app(
    resources: list[dict[str, Any]],
) -> None:
    backends = [
        path["backend"]["service"]["name"]
        for r in resources
        if r["kind"] == "Ingress"
        for rule in r["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]
    assert set(backends) == {"router", "web"}
    public = [
        r["metadata"]["name"]
        for r in resources
        if r["kind"] == "Service" and r["spec"].get("type", "ClusterIP") != "ClusterIP"
    ]
    assert public == [], "only the Ingress may expose the platform"


def test_k8s_workloads_are_hardened(resources: list[dict[str, Any]]) -> None:
    all_workloads = workloads(resources)
    assert all_workloads
    for workload in all_workloads:
        where = f"{workload['kind']}/{workload['metadata']['name']}"
        pod = workload["spec"]["template"]["spec"]
        pod_security = pod.get("securityContext", {})
        assert pod.get("automountServiceAccountToken") is False, where
        assert pod_security.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
        for container in containers(pod):
            is_init = any(container is c for c in pod.get("initContainers", []))
            here = f"{where} container {container['name']}"
            security = container.get("securityContext", {})
            assert security.get("runAsNonRoot", pod_security.get("runAsNonRoot")) is True, here
            assert security.get("runAsUser", pod_security.get("runAsUser", 0)) != 0, here
            assert security.get("allowPrivilegeEscalation") is False, here
            assert security.get("readOnlyRootFilesystem") is True, here
            assert security.get("capabilities", {}).get("drop") == ["ALL"], here
            assert not security.get("capabilities", {}).get("add"), here
            assert not security.get("privileged", False), here
            resources_ = container.get("resources", {})
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources_.get(bound, {})), (
                    f"{here}: resources.{bound}"
                )
            if not is_init:
                for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                    assert probe in container, f"{here}: {probe}"


def test_k8s_workload_selectors_match_their_pods(
    resources: list[dict[str, Any]],
) -> None:
    for workload in workloads(resources):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        assert selector_matches(workload["spec"]["selector"], labels), workload["metadata"]["name"]


def test_k8s_service_selectors_match_workloads(resources: list[dict[str, Any]]) -> None:
    services = [r for r in resources if r["kind"] == "Service"]
    assert services
    for service in services:
        name = service["metadata"]["name"]
        selector = service["spec"].get("selector")
        assert selector, f"Service/{name} has no selector"
        matched = [
            w
            for w in workloads(resources)
            if selector_matches(
                {"matchLabels": selector}, w["spec"]["template"]["metadata"]["labels"]
            )
        ]
        assert len(matched) == 1, f"Service/{name} selects {len(matched)} workloads"
        containers = matched[0]["spec"]["template"]["spec"]["containers"]
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            exposed = {
                p["containerPort"]
                for c in containers
                for p in c.get("ports", [])
                if target in (p["containerPort"], p.get("name"))
            }
            assert exposed, f"Service/{name}: targetPort {target!r} is not a container port"


def test_k8s_statefulsets_have_storage_and_health_checks(
    resources: list[dict[str, Any]],
) -> None:
    expected = {
        "postgres": ("postgres:16", "pg_isready"),
        "redis": ("redis:7", "redis-cli"),
        "meilisearch": ("getmeili/meilisearch:v1.12", "/health"),
    }
    statefulsets = {r["metadata"]["name"]: r for r in resources if r["kind"] == "StatefulSet"}
    assert set(statefulsets) == set(expected)
    for name, (image, check) in expected.items():
        spec = statefulsets[name]["spec"]
        headless = find(resources, "Service", spec["serviceName"])
        assert headless["spec"].get("clusterIP") == "None"
        claims = {c["metadata"]["name"] for c in spec["volumeClaimTemplates"]}
        [container] = spec["template"]["spec"]["containers"]
        assert container["image"] == image
        assert {m["name"] for m in container["volumeMounts"]} & claims, (
            f"{name} does not mount its volume"
        )
        for probe in ("livenessProbe", "readinessProbe"):
            configured = container[probe]
            if "httpGet" in configured:
                assert configured["httpGet"]["path"] == check
            else:
                assert configured["exec"]["command"][0] == check


def test_k8s_search_replicas_share_meilisearch(resources: list[dict[str, Any]]) -> None:
    """Several search replicas with an embedded index each would each see only part of the
    events: production search runs on the one Meilisearch, with its key from the Secret."""
    search = find(resources, "Deployment", "search")
    [container] = search["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in container["env"]}
    assert env["AGORA_SEARCH_BACKEND"]["value"] == "meilisearch"
    assert env["AGORA_MEILISEARCH_URL"]["value"] == "http://meilisearch:7700"
    assert (
        env["AGORA_MEILISEARCH_KEY"]["valueFrom"]["secretKeyRef"]["key"] == "AGORA_MEILISEARCH_KEY"
    )
    engine = find(resources, "StatefulSet", "meilisearch")
    [meili] = engine["spec"]["template"]["spec"]["containers"]
    master = {e["name"]: e for e in meili["env"]}["MEILI_MASTER_KEY"]
    assert master["valueFrom"]["secretKeyRef"]["key"] == "AGORA_MEILISEARCH_KEY"


def test_k8s_references_exist(resources: list[dict[str, Any]]) -> None:
    config_maps = {
        r["metadata"]["name"]: r.get("data", {}) for r in resources if r["kind"] == "ConfigMap"
    }
    secrets = {
        r["metadata"]["name"]: r.get("stringData", {}) | r.get("data", {})
        for r in resources
        if r["kind"] == "Secret"
    }
    for workload in workloads(resources):
        for container in containers(workload["spec"]["template"]["spec"]):
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in config_maps
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secrets
            for env in container.get("env", []):
                ref = env.get("valueFrom", {})
                if "secretKeyRef" in ref:
                    assert ref["secretKeyRef"]["key"] in secrets[ref["secretKeyRef"]["name"]], env[
                        "name"
                    ]
                if "configMapKeyRef" in ref:
                    assert (
                        ref["configMapKeyRef"]["key"] in config_maps[ref["configMapKeyRef"]["name"]]
                    ), env["name"]


def test_k8s_secrets_are_placeholders(resources: list[dict[str, Any]]) -> None:
    secrets = [r for r in resources if r["kind"] == "Secret"]
    assert secrets
    for secret in secrets:
        assert "data" not in secret, "use stringData with placeholders; never commit encoded values"
        for key, value in secret["stringData"].items():
            assert value == PLACEHOLDER, (
                f"Secret/{secret['metadata']['name']} {key} must be {PLACEHOLDER}"
            )


# Synchronous subgraph-to-subgraph calls (signed; see shared/service_client.py): caller → callee.
SERVICE_CALLS = {("checkout", "inventory")}


def test_k8s_network_policies_isolate_subgraphs(
    resources: list[dict[str, Any]],
) -> None:
    pods = {
        w["metadata"]["name"]: w["spec"]["template"]["metadata"]["labels"]
        for w in workloads(resources)
    }
    router_labels = pods["router"]
    policies = [r for r in resources if r["kind"] == "NetworkPolicy"]
    for name in expected_subgraphs():
        labels = pods[name]
        applying = [p for p in policies if selector_matches(p["spec"]["podSelector"], labels)]
        assert applying, f"no NetworkPolicy selects the {name} pods"
        for policy in applying:
            assert "Ingress" in policy["spec"]["policyTypes"]
            for rule in policy["spec"].get("ingress", []):
                peers = rule.get("from")
                assert peers, (
                    f"{policy['metadata']['name']}: a rule without `from` opens {name} to everyone"
                )
                for peer in peers:
                    selector = peer.get("podSelector")
                    assert selector is not None, (
                        f"{policy['metadata']['name']}: peer without podSelector"
                    )
                    from_router = "namespaceSelector" not in peer and selector_matches(
                        selector, router_labels
                    )
                    from_prometheus = selector.get("matchLabels", {}).get(
                        "app.kubernetes.io/name"
                    ) == "prometheus" and bool(peer.get("namespaceSelector", {}).get("matchLabels"))
                    caller = selector.get("matchLabels", {}).get("app.kubernetes.io/name")
                    from_declared_caller = (
                        "namespaceSelector" not in peer
                        and (caller, name) in SERVICE_CALLS
                        and selector_matches(selector, pods[caller])
                    )
                    assert from_router or from_prometheus or from_declared_caller, (
                        f"{policy['metadata']['name']}: unexpected peer {peer}"
                    )
                assert {p["port"] for p in rule["ports"]} == {SUBGRAPH_PORT}
        router_peer_rules = [
            rule
            for p in applying
            for rule in p["spec"]["ingress"]
            for peer in rule["from"]
            if "namespaceSelector" not in peer
            and selector_matches(peer["podSelector"], router_labels)
        ]
        assert router_peer_rules, f"the router cannot reach {name}"
    # the data stores accept only subgraph pods
    for store in ("postgres", "redis"):
        applying = [p for p in policies if selector_matches(p["spec"]["podSelector"], pods[store])]
        assert applying, f"no NetworkPolicy selects {store}"
        for policy in applying:
            for rule in policy["spec"]["ingress"]:
                for peer in rule["from"]:
                    assert not selector_matches(peer["podSelector"], router_labels), (
                        f"the router must not reach {store}"
                    )
                    assert all(
                        selector_matches(peer["podSelector"], pods[n]) for n in expected_subgraphs()
                    )
