"""``python -m subgraphs mail list|show`` reads the local outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from subgraphs.accounts.adapters.mail_cli import run_mail
from subgraphs.accounts.adapters.mailer import LocalOutboxMailer, Message


async def test_list_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = Message(to="ada@example.com", subject="Hello", text="Body text", kind="welcome")
    await LocalOutboxMailer(tmp_path, sender="Agora <no-reply@agora.local>").send(message)

    assert run_mail(tmp_path, "list", message_id=None, to=None) == 0
    assert message.id in capsys.readouterr().out
    assert run_mail(tmp_path, "show", message_id=message.id, to=None) == 0
    shown = capsys.readouterr().out
    assert "Subject: Hello" in shown
    assert "Body text" in shown
    assert run_mail(tmp_path, "show", message_id="nope", to=None) == 1
