"""Docker Compose: dependencies on migrations and healthy data stores, health checks, only the
router published, every variable defined."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.deploy.manifests import (
    COMPOSE_DIR,
    COMPOSE_FILE,
    PLACEHOLDER,
    ROUTER_PORT,
    SUBGRAPH_PARAMS,
    SUBGRAPH_PORT,
    dockerfile_uid,
    expected_subgraphs,
)


# --------------------------------------------------------------------------------------------------
# Compose
# --------------------------------------------------------------------------------------------------
def _subgraph_servers(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    servers = {}
    for name, service in compose["services"].items():
        command = service.get("command", [])
        if isinstance(command, list) and command[:4] == [
            "python",
            "-m",
            "subgraphs",
            "serve",
        ]:
            servers[name] = service
    return servers


def _healthy(service: dict[str, Any], dependency: str, condition: str) -> bool:
    depends_on = service.get("depends_on", {})
    return (
        isinstance(depends_on, dict)
        and depends_on.get(dependency, {}).get("condition") == condition
    )


def test_compose_subgraphs_match_the_code(compose: dict[str, Any]) -> None:
    assert set(_subgraph_servers(compose)) == expected_subgraphs()


@pytest.mark.parametrize("name", SUBGRAPH_PARAMS)
def test_compose_subgraph(compose: dict[str, Any], name: str | None) -> None:
    assert name is not None
    services = compose["services"]
    server = services[name]
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
    assert _healthy(server, f"{name}-migrate", "service_completed_successfully")
    assert _healthy(server, "postgres", "service_healthy")
    assert _healthy(server, "redis", "service_healthy")
    health = " ".join(server["healthcheck"]["test"])
    assert f"127.0.0.1:{SUBGRAPH_PORT}/{name}/readyz" in health
    assert "ports" not in server, "subgraphs must be reachable only from the router"

    migrate = services[f"{name}-migrate"]
    assert migrate["command"] == [
        "python",
        "-m",
        "subgraphs",
        "migrate",
        "--only",
        name,
    ]
    assert migrate["restart"] == "no"
    assert _healthy(migrate, "postgres", "service_healthy")
    assert "ports" not in migrate

    for service in (server, migrate):
        assert service["image"].startswith("agora/subgraphs:")
        assert service["build"] == {"context": "..", "dockerfile": "compose/Dockerfile"}
        env = service["environment"]
        assert env["AGORA_ENV"] == "production"
        assert env["AGORA_LOG_FORMAT"] == "json"
        assert env["AGORA_REDIS_URL"] == "redis://redis:6379/0"
        assert re.fullmatch(
            r"postgresql\+asyncpg://agora:\$\{AGORA_DB_PASSWORD[^}]*\}@postgres:5432/agora",
            env["AGORA_DATABASE_URL"],
        )
        assert (
            service["user"]
            == f"{dockerfile_uid(COMPOSE_DIR / 'Dockerfile')}:{dockerfile_uid(COMPOSE_DIR / 'Dockerfile')}"
        )
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]


def test_compose_router(compose: dict[str, Any]) -> None:
    router = compose["services"]["router"]
    assert router["build"] == {
        "context": "..",
        "dockerfile": "compose/router.Dockerfile",
    }
    for name in expected_subgraphs():
        assert _healthy(router, name, "service_healthy"), f"router must wait for {name}"
    env = router["environment"]
    assert env["AGORA_ROUTER_HOST"] == "0.0.0.0"
    assert env["AGORA_ROUTER_PORT"] == str(ROUTER_PORT)
    assert env["AGORA_ROUTER_GRAPHIQL"] == "false"
    assert env["AGORA_ROUTER_INTROSPECTION"] == "false"
    urls = {k: v for k, v in env.items() if k.startswith("AGORA_SUBGRAPH_URL_")}
    assert urls == {
        f"AGORA_SUBGRAPH_URL_{name.upper()}": f"http://{name}:{SUBGRAPH_PORT}/{name}/graphql"
        for name in expected_subgraphs()
    }
    assert f"127.0.0.1:{ROUTER_PORT}/readiness" in " ".join(router["healthcheck"]["test"])
    assert router["ports"] == [f"{ROUTER_PORT}:{ROUTER_PORT}"]
    uid = dockerfile_uid(COMPOSE_DIR / "router.Dockerfile")
    assert router["user"] == f"{uid}:{uid}"


def test_compose_only_the_router_and_the_web_app_are_published(compose: dict[str, Any]) -> None:
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"router", "web"}


def test_compose_web(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    assert web["build"] == {"context": "..", "dockerfile": "compose/web.Dockerfile"}
    assert _healthy(web, "router", "service_healthy"), "web must wait for the router"
    env = web["environment"]
    assert env["AGORA_ROUTER_HOST"] == "router"
    assert env["AGORA_ROUTER_PORT"] == str(ROUTER_PORT)
    assert env["AGORA_WEB_HOST"] == "0.0.0.0"
    assert web["ports"] == ["3000:3000"]
    assert "127.0.0.1:3000/healthz" in " ".join(web["healthcheck"]["test"])
    uid = dockerfile_uid(COMPOSE_DIR / "web.Dockerfile")
    assert web["user"] == f"{uid}:{uid}"
    assert web["read_only"] is True
    assert web["cap_drop"] == ["ALL"]


def test_compose_every_service_is_checked(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        if name.endswith("-migrate"):
            assert service["restart"] == "no"
        else:
            assert service["healthcheck"]["test"][0] == "CMD", f"{name} needs a healthcheck"
            assert service["restart"] == "unless-stopped", name


def test_compose_data_stores(compose: dict[str, Any]) -> None:
    services = compose["services"]
    postgres, redis = services["postgres"], services["redis"]
    assert postgres["image"] == "postgres:16"
    assert postgres["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert redis["image"] == "redis:7"
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert postgres["environment"]["POSTGRES_PASSWORD"].startswith("${AGORA_DB_PASSWORD")
    for service, target in ((postgres, "/var/lib/postgresql/data"), (redis, "/data")):
        [volume] = service["volumes"]
        source, mounted = volume.split(":")[:2]
        assert mounted == target
        assert source in compose["volumes"], "use a named volume"


def test_compose_variables_are_defined() -> None:
    """Every ${VAR} is either in .env.example or has a default (what `docker compose config` checks)."""
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    defined = {
        line.split("=", 1)[0]
        for line in (COMPOSE_DIR / ".env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    for match in re.finditer(r"\$\{([A-Z0-9_]+)(:?[-?+]?)([^}]*)\}", text):
        variable, operator = match.group(1), match.group(2)
        assert variable in defined or operator == ":-", f"${{{variable}}} has no value"


def test_compose_env_example_holds_only_placeholders() -> None:
    for line in (COMPOSE_DIR / ".env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            if re.search(r"PASSWORD|SECRET|KEY|TOKEN", key):
                assert value == PLACEHOLDER, f"{key} must be {PLACEHOLDER} in .env.example"
    assert ".env" in (COMPOSE_DIR / ".gitignore").read_text(encoding="utf-8").split()
