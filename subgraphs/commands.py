"""What the command line does: serve, migrate, seed, export the SDL."""

from __future__ import annotations

import dataclasses
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from shared.bus.memory import InMemoryEventBus
from shared.host import create_host
from shared.logging import configure_logging
from shared.settings import Settings
from subgraphs import registry


def serve(
    settings: Settings, *, only: Sequence[str] | None, host: str | None, port: int | None
) -> int:
    from shared.bus.factory import create_bus

    # --host/--port become the settings, so what subgraphs derive from them (checkout's
    # default inventory URL: this host's /inventory) names where the host really listens.
    settings = dataclasses.replace(
        settings,
        subgraphs_host=host or settings.subgraphs_host,
        subgraphs_port=port or settings.subgraphs_port,
    )
    configure_logging(settings)
    bus = create_bus(settings)
    app = create_host(registry.build(settings, bus, only), bus)
    uvicorn.run(
        app,
        host=settings.subgraphs_host,
        port=settings.subgraphs_port,
        log_config=None,
        ws="websockets-sansio",
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    return 0


async def migrate(settings: Settings, *, only: Sequence[str] | None) -> int:
    for subgraph in registry.build(settings, InMemoryEventBus(), only):
        await subgraph.infra.migrate()
        await subgraph.stop()  # never started: closes what building opened (search's index lock)
        print(f"migrated {subgraph.name}")
    return 0


async def seed(settings: Settings, *, products: int) -> int:
    from subgraphs.seed import seed_demo

    await migrate(settings, only=None)
    seeded = await seed_demo(settings, products=products)
    if seeded == 0 and not settings.is_production:
        await seed_staff(settings)
    return seeded


async def seed_staff(settings: Settings) -> None:
    """The development-only demo administrator (accounts), once."""
    from functools import partial

    from subgraphs.accounts.services.seed_staff import seed_demo_staff
    from subgraphs.accounts.uow import AccountsUnitOfWork

    [accounts] = registry.build(settings, InMemoryEventBus(), ["accounts"])
    try:
        created = await seed_demo_staff(
            partial(accounts.infra.unit_of_work, AccountsUnitOfWork), production=False
        )
        if created is None:
            print("demo staff already present")
    finally:
        await accounts.infra.database.dispose()


def export_schema(settings: Settings, *, out: Path, check: bool) -> int:
    """Write ``<out>/<name>.graphql`` for every subgraph; with ``check``, report drift instead."""
    drift = False
    for subgraph in registry.build(settings, InMemoryEventBus()):
        sdl = subgraph.schema.as_str().rstrip() + "\n"
        path = out / f"{subgraph.name}.graphql"
        current = path.read_text() if path.exists() else ""
        if check:
            if current != sdl:
                drift = True
                sys.stdout.writelines(
                    difflib.unified_diff(
                        current.splitlines(True), sdl.splitlines(True), str(path), "from code"
                    )
                )
        elif current != sdl:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(sdl)
            print(f"wrote {path}")
    if drift:
        print("schema/ is out of date: run `make schema`", file=sys.stderr)
        return 1
    return 0
