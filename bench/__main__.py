"""``make bench``: products(first: 20) on (a) a bare cached Strawberry app, (b) the catalog
subgraph with its database, (c) the same query plus reviews and ratings through the router.

Prints requests/s, p50 and p95 of each (median of several rounds) and the ratios b/a and c/b.
Every figure comes from this run on this machine; tests never assert timings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.load import Result, median_of, ratio, run_load
from shared.auth import ANONYMOUS, signed_headers
from shared.settings import DEV_ROUTER_SECRET
from subgraphs.launcher import ROOT, Platform

CATALOG_QUERY = """
query Browse { products(first: 20) { edges { node {
  id slug name price { amount currencyCode } category { name } variants { sku price { amount } }
} } } }
"""
ROUTER_QUERY = """
query Browse { products(first: 20) { edges { node {
  id slug name price { amount currencyCode } category { name } variants { sku price { amount } }
  rating { average count } reviews(first: 3) { edges { node { rating title } } }
} } } }
"""
BASELINE_QUERY = """
query Browse { products(first: 20) { edges { node {
  id slug name price { amount currencyCode } category { name } variants { sku price { amount } }
} } } }
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.post(url, json={"query": "{ __typename }"}, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


async def _rounds(
    name: str,
    url: str,
    query: str,
    args: argparse.Namespace,
    check: str,
    sign: Callable[[bytes], dict[str, str]] | None = None,
) -> Result:
    results = [
        await run_load(
            name,
            url,
            {"query": query},
            clients=args.clients,
            seconds=args.seconds,
            check=check,
            sign=sign,
        )
        for _ in range(args.rounds)
    ]
    return median_of(results)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--products", type=int, default=300)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    env = {
        "AGORA_DATA_DIR": str(data_dir),
        "AGORA_LOG_LEVEL": "WARNING",
        "AGORA_ENV": "test",
        # One client IP sends thousands of requests a minute: the router's limits would refuse them.
        "AGORA_RATE_LIMIT_PER_USER": "0",
        "AGORA_RATE_LIMIT_PER_OPERATION": "0",
        "AGORA_RATE_LIMIT_GLOBAL": "0",
        "AGORA_RATE_LIMIT_SENSITIVE": "false",
    }
    print(f"seeding {args.products} products into {data_dir} …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "subgraphs", "seed", "--products", str(args.products)],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    baseline_port = _free_port()
    baseline = subprocess.Popen(
        [sys.executable, "-m", "bench.baseline", "--port", str(baseline_port)], cwd=ROOT
    )
    platform = Platform(env=env, host_port=_free_port(), router_port=_free_port(), log_dir=data_dir)
    try:
        _wait(f"http://127.0.0.1:{baseline_port}/graphql")
        platform.start()
        print(
            f"load: {args.clients} concurrent clients, {args.rounds} rounds × {args.seconds:.0f} s "
            "each (median round shown); one process per server; logs at WARNING\n",
            flush=True,
        )
        a = asyncio.run(
            _rounds(
                "(a) bare Strawberry, caches, no I/O",
                f"http://127.0.0.1:{baseline_port}/graphql",
                BASELINE_QUERY,
                args,
                "products",
            )
        )
        print(a.line(), flush=True)
        b = asyncio.run(
            _rounds(
                "(b) catalog subgraph + SQLite, direct",
                f"{platform.host_url}/catalog/graphql",
                CATALOG_QUERY,
                args,
                "products",
                sign=lambda raw: signed_headers(DEV_ROUTER_SECRET, ANONYMOUS, raw),
            )
        )
        print(b.line(), flush=True)
        c = asyncio.run(
            _rounds(
                "(c) + reviews and ratings, via the router",
                platform.router_url,
                ROUTER_QUERY,
                args,
                "rating",
            )
        )
        print(c.line(), flush=True)
        print(f"\nb/a = {ratio(b, a)}   (aim ≥ 0.6)\nc/b = {ratio(c, b)}")
    finally:
        platform.stop()
        baseline.terminate()
        baseline.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
