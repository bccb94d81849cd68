"""Agora's subgraph command line.

python -m subgraphs serve [--only NAME ...] [--host H] [--port P]
python -m subgraphs migrate [--only NAME ...]
python -m subgraphs seed [--products N]
python -m subgraphs export-schema [--out DIR] [--check]
python -m subgraphs up [--products N]      (migrate, seed, serve + router; Ctrl-C stops)
python -m subgraphs mail list [--to EMAIL] | mail show ID   (the local mail outbox)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from shared.settings import SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
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
    mail = commands.add_parser("mail", help="read the local mail outbox (embedded default)")
    mail.add_argument("action", choices=["list", "show"])
    mail.add_argument("id", nargs="?", help="message id (show)")
    mail.add_argument("--to", help="only messages to this address (list)")
    args = parser.parse_args(argv)

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
    if args.command == "mail":
        from subgraphs.accounts.adapters.mail_cli import run_mail

        return run_mail(settings.data_dir / "mail", args.action, message_id=args.id, to=args.to)
    if args.command == "up":
        from subgraphs.launcher import up as start_platform

        seeded = asyncio.run(run.seed(settings, products=args.products))
        if seeded != 0:
            return seeded
        return start_platform(settings.router_port, settings.subgraphs_port, settings.web_port)
    return run.export_schema(settings, out=args.out, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
