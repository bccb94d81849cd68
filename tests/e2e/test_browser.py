"""The browser suite (frontend/e2e/run.mjs) against the real platform: subgraph host, router and the
web server of the built storefront/admin, driven by Debian's Chromium through playwright-core.

It walks the golden purchase path, watches a new order arrive live in a staff member's admin
dashboard (graphql-ws through the web server and the router) and runs axe-core (WCAG 2.1 A/AA) on
every page; screenshots and ``results.json`` are kept under ``frontend/e2e/artifacts/``.
``make test`` builds the frontend and installs Chromium before pytest runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from subgraphs.launcher import ROOT, WEB_DIST, Platform
from tests.e2e.conftest import free_port

ARTIFACTS = ROOT / "frontend" / "e2e" / "artifacts"
CHROMIUM = os.environ.get("AGORA_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def web_platform(tmp_path_factory: pytest.TempPathFactory) -> Platform:
    assert (WEB_DIST / "index.html").exists(), "frontend not built: run `make frontend`"
    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), "Chromium missing: `make chromium`"
    data_dir = tmp_path_factory.mktemp("web")
    env = {"AGORA_ENV": "test", "AGORA_DATA_DIR": str(data_dir), "AGORA_RELAY_INTERVAL": "0.05"}
    seeded = subprocess.run(
        [sys.executable, "-m", "subgraphs", "seed"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr
    return Platform(
        env=env,
        host_port=free_port(),
        router_port=free_port(),
        web_port=free_port(),
        log_dir=Path(data_dir) / "logs",
    )


def test_the_shop_and_the_admin_in_chromium(web_platform: Platform) -> None:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    with web_platform.running(timeout=90):
        run = subprocess.run(
            ["node", "e2e/run.mjs"],
            cwd=ROOT / "frontend",
            env={
                **os.environ,
                "AGORA_E2E_WEB_URL": web_platform.web_url,
                "AGORA_E2E_ARTIFACTS": str(ARTIFACTS),
                "AGORA_CHROMIUM": CHROMIUM,
            },
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    results = json.loads((ARTIFACTS / "results.json").read_text(encoding="utf-8"))
    steps = {step["name"]: step["ok"] for step in results["steps"]}
    assert steps["golden purchase path: search → product → cart → checkout → pay → PAID"]
    assert steps["the staff member saw the new order arrive live"]
    expected_pages = {
        "home", "search", "category", "product", "sign-in", "register", "password-reset", "cart",
        "checkout", "order-confirmation", "order-3ds", "admin-dashboard", "admin-orders", "admin-order-detail",
        "admin-reviews", "admin-products", "admin-staff", "home-phone",
    }  # fmt: skip
    assert set(results["pages"]) == expected_pages
    assert {name: page["violations"] for name, page in results["pages"].items()} == dict.fromkeys(
        expected_pages, 0
    )
    for name in expected_pages:
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 1000
