"""Agora's subgraph command line.

python -m subgraphs serve [--only NAME ...] [--host H] [--port P]
python -m subgraphs migrate [--only NAME ...]
python -m subgraphs seed [--products N]
python -m subgraphs export-schema [--out DIR] [--check]
python -m subgraphs up [--products N]      (migrate, seed, serve + router; Ctrl-C stops)
python -m subgraphs search-reindex         (rebuild the search index from search_documents)
python -m subgraphs catalog-import FILE [--format csv|jsonl] [--dry-run] [--skip-invalid]
python -m subgraphs catalog-export FILE [--format csv|jsonl]
python -m subgraphs seed-catalog [--products N] [--seed S] [--no-events]
python -m subgraphs dev-otp                (the demo admin's current TOTP code; development only)
python -m subgraphs mail list [--to EMAIL] | mail show ID   (the local mail outbox)
python -m subgraphs orders notifications [--full] | orders rebuild   (queued customer messages;
                                           rebuild the order projection from the events)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from shared.settings import Settings, SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m subgraphs", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve subgraphs over HTTP and WebSocket")
    serve.add_argument("--only", nargs="*", help="subgraph names (default: all)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("--only", nargs="*")
    seed = commands.add_parser("seed", help="migrate, then seed the demo catalog if it is empty")
    seed.add_argument("--products", type=int, default=300)
    export = commands.add_parser("export-schema", help="write each subgraph's SDL to schema/")
    export.add_argument("--out", type=Path, default=Path("schema"))
    export.add_argument("--check", action="store_true", help="fail if the files differ")
    up = commands.add_parser("up", help="migrate, seed, start subgraphs and router")
    up.add_argument("--products", type=int, default=300)
    commands.add_parser("search-reindex", help="rebuild the search index from its stored documents")
    catalog_import = commands.add_parser("catalog-import", help="import products (all or nothing)")
    catalog_import.add_argument("file", type=Path)
    catalog_import.add_argument("--format", choices=["csv", "jsonl"])
    catalog_import.add_argument("--dry-run", action="store_true", help="check, write nothing")
    catalog_import.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, report the others"
    )
    catalog_export = commands.add_parser("catalog-export", help="export every product")
    catalog_export.add_argument("file", type=Path)
    catalog_export.add_argument("--format", choices=["csv", "jsonl"])
    seed_catalog = commands.add_parser("seed-catalog", help="add N deterministic products")
    seed_catalog.add_argument("--products", type=int, default=300)
    seed_catalog.add_argument("--seed", type=int, default=7)
    seed_catalog.add_argument(
        "--no-events", action="store_true", help="write no outbox rows (reindex search after)"
    )
    commands.add_parser("dev-otp", help="the demo admin's current TOTP code (development only)")
    orders = commands.add_parser("orders", help="order notifications; rebuild the projection")
    orders.add_argument("action", choices=["notifications", "rebuild"])
    orders.add_argument("--full", action="store_true", help="print message bodies")
    orders.add_argument("--limit", type=int, default=20)
    mail = commands.add_parser("mail", help="read the local mail outbox (embedded default)")
    mail.add_argument("action", choices=["list", "show"])
    mail.add_argument("id", nargs="?", help="message id (show)")
    mail.add_argument("--to", help="only messages to this address (list)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2

    from subgraphs import commands as run

    if args.command == "serve":
        return run.serve(settings, only=args.only, host=args.host, port=args.port)
    if args.command == "migrate":
        return asyncio.run(run.migrate(settings, only=args.only))
    if args.command == "seed":
        return asyncio.run(run.seed(settings, products=args.products))
    if args.command == "search-reindex":
        from subgraphs.search.commands import search_reindex

        return asyncio.run(search_reindex(settings))
    if args.command == "orders":
        from subgraphs.orders.commands import orders_command

        action = "notifications-full" if args.full else args.action
        return asyncio.run(orders_command(settings, action, args.limit))
    if args.command in {"catalog-import", "catalog-export", "seed-catalog"}:
        return _catalog(settings, args)
    if args.command in {"dev-otp", "mail"}:
        return _accounts(settings, args)
    if args.command == "up":
        from subgraphs.launcher import up as start_platform

        seeded = asyncio.run(run.seed(settings, products=args.products))
        if seeded != 0:
            return seeded
        return start_platform(settings.router_port, settings.subgraphs_port, settings.web_port)
    return run.export_schema(settings, out=args.out, check=args.check)


def _catalog(settings: Settings, args: argparse.Namespace) -> int:
    from subgraphs.catalog import cli
    from subgraphs.catalog.adapters.catalog_files import guess_format

    if args.command == "seed-catalog":
        return asyncio.run(
            cli.run_seed(
                settings, products=args.products, seed=args.seed, events=not args.no_events
            )
        )
    fmt = args.format or guess_format(args.file)
    if args.command == "catalog-export":
        return asyncio.run(cli.run_export(settings, args.file, fmt))
    return asyncio.run(
        cli.run_import(
            settings, args.file, fmt, dry_run=args.dry_run, skip_invalid=args.skip_invalid
        )
    )


def _accounts(settings: Settings, args: argparse.Namespace) -> int:
    """The accounts commands: the demo admin's TOTP code, the local mail outbox."""
    if args.command == "dev-otp":
        if settings.is_production:
            print("dev-otp is for development only", file=sys.stderr)
            return 2
        import pyotp

        from subgraphs.accounts.services.seed_staff import DEMO_TOTP_SECRET

        print(pyotp.TOTP(DEMO_TOTP_SECRET).now())
        return 0
    from subgraphs.accounts.adapters.mail_cli import run_mail

    return run_mail(settings.data_dir / "mail", args.action, message_id=args.id, to=args.to)


if __name__ == "__main__":
    sys.exit(main())
