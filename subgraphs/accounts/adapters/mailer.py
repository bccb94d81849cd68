"""Sending email: the ``Mailer`` port, a local outbox (embedded default) and SendGrid.

``LocalOutboxMailer`` writes one JSON file per message under ``<AGORA_DATA_DIR>/mail/``;
``read_outbox`` reads them back (tests, ``python -m subgraphs mail list|show``, staff query).
``SendGridMailer`` builds the v3 ``/mail/send`` body with the official ``sendgrid`` SDK's
``Mail`` helper and posts it with httpx (async, so the event loop never blocks; the SDK's own
client is synchronous urllib).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Protocol

import httpx
import orjson
from sendgrid.helpers.mail import Email, Mail

log = logging.getLogger(__name__)
SENDGRID_URL = "https://api.sendgrid.com/v3/mail/send"


@dataclass(frozen=True, slots=True)
class Message:
    to: str
    subject: str
    text: str
    kind: str
    """What the message is for (``password_reset``, ``email_change`` …): tests and the admin
    filter on it."""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


class MailDeliveryError(Exception):
    def __init__(self, status: int, errors: list[str]) -> None:
        super().__init__(f"mail provider answered {status}: {'; '.join(errors) or 'no detail'}")
        self.status = status
        self.errors = errors


class Mailer(Protocol):
    async def send(self, message: Message) -> None: ...


class LocalOutboxMailer:
    """Writes each message as ``<created>-<id>.json`` in ``directory`` (nothing leaves)."""

    def __init__(self, directory: Path, *, sender: str) -> None:
        self.directory = directory
        self.sender = sender

    async def send(self, message: Message) -> None:
        await asyncio.to_thread(self._write, message)

    def _write(self, message: Message) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = message.created_at.replace(":", "").replace("-", "").replace("+", "")
        path = self.directory / f"{stamp}-{message.id}.json"
        data = {"from": self.sender, **asdict(message)}
        path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))


def read_outbox(directory: Path, *, to: str | None = None) -> list[dict[str, Any]]:
    """Messages of a local outbox, oldest first (optionally only those sent to ``to``)."""
    if not directory.is_dir():
        return []
    messages = [orjson.loads(p.read_bytes()) for p in sorted(directory.glob("*.json"))]
    if to is not None:
        messages = [m for m in messages if str(m.get("to", "")).casefold() == to.casefold()]
    return messages


class SendGridMailer:
    """SendGrid's v3 API: 202 Accepted is success; anything else raises ``MailDeliveryError``
    with SendGrid's ``errors[].message`` texts."""

    def __init__(
        self,
        api_key: str,
        *,
        sender: str,
        client: httpx.AsyncClient | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._api_key = api_key
        self.sender = sender
        self._client = client or httpx.AsyncClient(timeout=timeout)

    def body(self, message: Message) -> dict[str, Any]:
        name, address = parseaddr(self.sender)
        mail = Mail(
            from_email=Email(address, name or None),
            to_emails=message.to,
            subject=message.subject,
            plain_text_content=message.text,
        )
        body: dict[str, Any] = mail.get()
        body["custom_args"] = {"agora_message_id": message.id, "agora_kind": message.kind}
        return body

    async def send(self, message: Message) -> None:
        response = await self._client.post(
            SENDGRID_URL,
            json=self.body(message),
            headers={"Authorization": f"Bearer {self._api_key}"},
        )
        if response.status_code == 202:
            return
        errors: list[str] = []
        try:
            payload = response.json()
            errors = [str(e.get("message", "")) for e in payload.get("errors", [])]
        except ValueError:
            errors = []
        raise MailDeliveryError(response.status_code, errors)

    async def aclose(self) -> None:
        await self._client.aclose()
