"""``SendGridMailer`` against SendGrid's documented v3 ``POST /v3/mail/send`` contract
(respx stands in for the API: no network, no account)."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from subgraphs.accounts.adapters.mailer import (
    SENDGRID_URL,
    LocalOutboxMailer,
    MailDeliveryError,
    Message,
    SendGridMailer,
    read_outbox,
)

MESSAGE = Message(
    to="ada@example.com",
    subject="Reset your password",
    text="Use this link.",
    kind="password_reset",
)


@respx.mock
async def test_a_message_is_posted_in_the_v3_shape_with_the_bearer_key() -> None:
    route = respx.post(SENDGRID_URL).mock(return_value=httpx.Response(202))
    mailer = SendGridMailer("SG.test-key", sender="Agora <no-reply@agora.test>")

    await mailer.send(MESSAGE)
    await mailer.aclose()

    request = route.calls.last.request
    assert request.headers["authorization"] == "Bearer SG.test-key"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "from": {"email": "no-reply@agora.test", "name": "Agora"},
        "subject": "Reset your password",
        "personalizations": [{"to": [{"email": "ada@example.com"}]}],
        "content": [{"type": "text/plain", "value": "Use this link."}],
        "custom_args": {"agora_message_id": MESSAGE.id, "agora_kind": "password_reset"},
    }


@respx.mock
@pytest.mark.parametrize(
    ("status", "body", "errors"),
    [
        (
            400,
            {
                "errors": [
                    {
                        "message": "The to email does not contain a valid address.",
                        "field": "personalizations.0.to",
                    }
                ]
            },
            ["The to email does not contain a valid address."],
        ),
        (
            401,
            {
                "errors": [
                    {"message": "The provided authorization grant is invalid, expired, or revoked"}
                ]
            },
            ["The provided authorization grant is invalid, expired, or revoked"],
        ),
        (429, {"errors": [{"message": "too many requests"}]}, ["too many requests"]),
        (500, None, []),
    ],
)
async def test_anything_but_202_is_a_delivery_error(
    status: int, body: object, errors: list[str]
) -> None:
    respx.post(SENDGRID_URL).mock(
        return_value=httpx.Response(status, json=body)
        if body is not None
        else httpx.Response(status, text="oops")
    )
    mailer = SendGridMailer("SG.test-key", sender="no-reply@agora.test")

    with pytest.raises(MailDeliveryError) as caught:
        await mailer.send(MESSAGE)
    await mailer.aclose()

    assert caught.value.status == status
    assert caught.value.errors == errors


async def test_the_local_outbox_keeps_one_file_per_message(tmp_path: object) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path)) / "mail"
    mailer = LocalOutboxMailer(directory, sender="Agora <no-reply@agora.local>")
    await mailer.send(MESSAGE)
    await mailer.send(Message(to="bo@example.com", subject="Hi", text="Hello", kind="welcome"))

    assert len(list(directory.glob("*.json"))) == 2
    (mine,) = read_outbox(directory, to="ADA@example.com")
    assert (mine["subject"], mine["kind"], mine["from"]) == (
        "Reset your password",
        "password_reset",
        "Agora <no-reply@agora.local>",
    )
