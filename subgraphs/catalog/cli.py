"""The catalog's offline commands (``python -m subgraphs catalog-import|catalog-export|
seed-catalog``): they run as SYSTEM on the catalog database, with a progress bar."""

from __future__ import annotations

import sys
import time
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from shared.auth import SYSTEM
from shared.bus.memory import InMemoryEventBus
from shared.settings import Settings
from subgraphs.catalog.adapters.catalog_files import Format, read_records, write_records
from subgraphs.catalog.app import create_subgraph
from subgraphs.catalog.services.export_products import export_products
from subgraphs.catalog.services.import_products import import_products
from subgraphs.catalog.services.seed_catalog import seed_catalog
from subgraphs.catalog.uow import CatalogUnitOfWork

console = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


async def run_import(
    settings: Settings, path: Path, fmt: Format, *, dry_run: bool, skip_invalid: bool
) -> int:
    app = create_subgraph(settings, InMemoryEventBus())
    await app.infra.migrate()
    uow = partial(app.infra.unit_of_work, CatalogUnitOfWork)
    try:
        with path.open(newline="", encoding="utf-8") as handle, _progress() as progress:
            task = progress.add_task(f"checking {path.name}", total=None)
            report = await import_products(
                uow,
                records=read_records(handle, fmt),
                actor=SYSTEM,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                progress=lambda n: progress.advance(task, n),
            )
    finally:
        await app.infra.database.dispose()
    for error in report.rejected:
        print(f"row {error.row}\t{error.field}\t{error.code}\t{error.message}")
    if report.rejected and not skip_invalid:
        print(f"{len(report.rejected)} rows rejected: nothing imported", file=sys.stderr)
        return 1
    verb = "would import" if dry_run else "imported"
    print(
        f"{verb} {report.imported if not dry_run else 'all valid'} products; "
        f"{len(report.rejected)} rows rejected",
        file=sys.stderr,
    )
    return 0


async def run_export(settings: Settings, path: Path, fmt: Format) -> int:
    app = create_subgraph(settings, InMemoryEventBus())
    await app.infra.migrate()
    uow = partial(app.infra.unit_of_work, CatalogUnitOfWork)
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            records = [r async for r in export_products(uow, actor=SYSTEM)]
            count = write_records(handle, fmt, records)
    finally:
        await app.infra.database.dispose()
    print(f"exported {count} products to {path}", file=sys.stderr)
    return 0


async def run_seed(settings: Settings, *, products: int, seed: int, events: bool) -> int:
    app = create_subgraph(settings, InMemoryEventBus())
    await app.infra.migrate()
    uow = partial(app.infra.unit_of_work, CatalogUnitOfWork)
    started = time.perf_counter()
    try:
        with _progress() as progress:
            task = progress.add_task("seeding products", total=products)
            written = await seed_catalog(
                uow,
                products=products,
                actor=SYSTEM,
                seed=seed,
                events=events,
                progress=lambda n: progress.advance(task, n),
            )
    finally:
        await app.infra.database.dispose()
    elapsed = time.perf_counter() - started
    print(
        f"seeded {written} products in {elapsed:.1f} s ({written / max(elapsed, 1e-9):,.0f}/s)"
        f"{'' if events else ' without events'}"
    )
    return 0
