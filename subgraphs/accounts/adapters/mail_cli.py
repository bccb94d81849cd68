"""``python -m subgraphs mail list|show``: read the local outbox of ``LocalOutboxMailer``."""

from __future__ import annotations

import sys
from pathlib import Path

from subgraphs.accounts.adapters.mailer import read_outbox


def run_mail(directory: Path, action: str, *, message_id: str | None, to: str | None) -> int:
    messages = read_outbox(directory, to=to)
    if action == "list":
        for m in messages:
            print(f"{m['id']}  {m['created_at']}  {m['kind']:<20} {m['to']:<32} {m['subject']}")
        if not messages:
            print(f"no messages in {directory}")
        return 0
    found = [m for m in messages if m["id"] == message_id]
    if not found:
        print(f"no message {message_id!r} in {directory}", file=sys.stderr)
        return 1
    m = found[0]
    print(f"From: {m['from']}\nTo: {m['to']}\nSubject: {m['subject']}\nDate: {m['created_at']}\n")
    print(m["text"])
    return 0
