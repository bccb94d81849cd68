"""Runs the whole platform on one machine: the subgraph host and the router, as two processes.

``make up`` calls ``python -m subgraphs up``; the end-to-end tests use ``Platform`` directly.
Readiness is polled (``/readyz`` of the host, ``/readiness`` of the router) — never slept for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent
ROUTER_START = ROOT / "router" / "start.mjs"
WEB_SERVE = ROOT / "frontend" / "serve.mjs"
WEB_DIST = ROOT / "frontend" / "dist"


class PlatformError(RuntimeError):
    """A process of the platform did not become ready, or died."""


@dataclass
class Platform:
    """The subgraph host and the router with the given environment (``AGORA_*`` settings)."""

    env: Mapping[str, str]
    host_port: int = 4001
    router_port: int = 4000
    web_port: int | None = None
    """When set, the built storefront/admin (frontend/dist) is served on this port too."""
    log_dir: Path | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _logs: list[IO[bytes]] = field(default_factory=list)

    @property
    def router_url(self) -> str:
        return f"http://127.0.0.1:{self.router_port}/graphql"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def host_url(self) -> str:
        return f"http://127.0.0.1:{self.host_port}"

    def _spawn(self, name: str, command: list[str]) -> None:
        env = {
            **os.environ,
            **self.env,
            "AGORA_SUBGRAPHS_PORT": str(self.host_port),
            "AGORA_ROUTER_PORT": str(self.router_port),
            "AGORA_SUBGRAPHS_URL": self.host_url,
        }
        if self.web_port is not None:
            env["AGORA_WEB_PORT"] = str(self.web_port)
        if self.log_dir is None:
            stdout = None
        else:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            stdout = (self.log_dir / f"{name}.log").open("ab")
            self._logs.append(stdout)
        self.processes[name] = subprocess.Popen(  # noqa: S603 - fixed commands, no shell
            command, cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.STDOUT
        )

    def _wait(self, name: str, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        process = self.processes[name]
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise PlatformError(f"{name} exited with code {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=1.0).status_code == 200:
                    return
            time.sleep(0.1)
        raise PlatformError(f"{name} was not ready at {url} within {timeout:.0f} s")

    def start(self, timeout: float = 60.0) -> None:
        self._spawn("subgraphs", [sys.executable, "-m", "subgraphs", "serve"])
        self._spawn("router", ["node", str(ROUTER_START)])
        if self.web_port is not None:
            if not (WEB_DIST / "index.html").exists():
                self.stop()
                raise PlatformError(
                    f"the frontend is not built ({WEB_DIST}/index.html is missing): run `make up`"
                )
            self._spawn("web", ["node", str(WEB_SERVE)])
        try:
            self._wait("subgraphs", f"{self.host_url}/readyz", timeout)
            self._wait("router", f"http://127.0.0.1:{self.router_port}/readiness", timeout)
            if self.web_port is not None:
                self._wait("web", f"{self.web_url}/healthz", timeout)
        except PlatformError:
            self.stop()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()

    def kill(self, name: str) -> None:
        """Kill one process hard (SIGKILL), as a crash would."""
        process = self.processes.pop(name)
        process.kill()
        process.wait()

    def restart_subgraphs(self, timeout: float = 60.0) -> None:
        """Start the subgraph host again (after ``kill``) on the same port; wait until ready."""
        self._spawn("subgraphs", [sys.executable, "-m", "subgraphs", "serve"])
        self._wait("subgraphs", f"{self.host_url}/readyz", timeout)

    @contextlib.contextmanager
    def running(self, timeout: float = 60.0) -> Iterator[Platform]:
        self.start(timeout)
        try:
            yield self
        finally:
            self.stop()


def up(router_port: int, host_port: int, web_port: int) -> int:
    """Start everything, print where it is, run until Ctrl-C."""
    platform = Platform(env={}, host_port=host_port, router_port=router_port, web_port=web_port)
    try:
        platform.start()
    except PlatformError as exc:
        print(f"agora: {exc}", file=sys.stderr)
        return 1
    print(
        "\nAgora is up.\n"
        f"  GraphQL (router) + Laboratory:  http://127.0.0.1:{router_port}/graphql\n"
        f"  Subgraphs:                      {platform.host_url}/<name>/graphql "
        "(signed router calls only)\n"
        f"  Health:                         {platform.host_url}/readyz · "
        f"http://127.0.0.1:{router_port}/readiness\n"
        f"  Metrics:                        {platform.host_url}/metrics · "
        f"http://127.0.0.1:{router_port}/metrics\n"
        f"  Storefront:                     http://127.0.0.1:{web_port}/\n"
        f"  Admin (staff):                  http://127.0.0.1:{web_port}/admin\n"
        "  Demo staff (development only):  admin@agora.local / agora-admin-dev + TOTP code from\n"
        "                                  `make otp` (secret AGORADEVTOTPSECRETAGORADEVTOTP23):\n"
        '    mutation { tokenCreate(input: {email: "admin@agora.local", password: '
        '"agora-admin-dev", otp: "<code>"}) { accessToken userErrors { code } } }\n'
        "    then send  Authorization: Bearer <accessToken>\n"
        "  Mail outbox (password resets …): python -m subgraphs mail list\n"
        "Press Ctrl-C to stop.\n",
        flush=True,
    )
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        while not stopping:
            for name, process in platform.processes.items():
                if process.poll() is not None:
                    print(f"agora: {name} exited with code {process.returncode}", file=sys.stderr)
                    return 1
            time.sleep(0.5)
    finally:
        print("\nagora: stopping …", flush=True)
        platform.stop()
        print("agora: stopped.", flush=True)
    return 0
