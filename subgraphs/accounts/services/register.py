"""Use case: a shopper registers. The answer never tells whether the email was known: a new
address gets an account and a welcome mail, a known one a notice mail, and both requests
hash a password (same cost) and return the same payload."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from shared.auth import ANONYMOUS, Principal
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.accounts.adapters.mailer import Message
from subgraphs.accounts.domain.errors import AccountError
from subgraphs.accounts.domain.events import CustomerContactChanged, CustomerRegistered
from subgraphs.accounts.domain.models import User, clean_name
from subgraphs.accounts.domain.passwords import check_password_policy, email_key, normalize_email
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork

OPERATION = "accountRegister"


async def register(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    email: str,
    password: str,
    first_name: str | None = None,
    last_name: str | None = None,
    actor: Principal = ANONYMOUS,
    idempotency_key: str | None = None,
) -> None:
    """Returns nothing on purpose: what a caller may learn is only "check your inbox"."""
    address = normalize_email(email)
    check_password_policy(password, email=address)
    first, last = clean_name(first_name, "firstName"), clean_name(last_name, "lastName")
    password_hash = await asyncio.to_thread(runtime.passwords.hash, password)
    at = runtime.clock()
    async with uow_factory() as uow:
        try:
            request = IdempotentRequest.of(
                idempotency_key,
                operation=OPERATION,
                caller=actor,
                data={"email": address, "first_name": first, "last_name": last},
            )
            if await uow.claim_idempotency_key(request) is not None:
                await uow.commit()
                return
        except IdempotencyError as exc:
            raise AccountError.from_idempotency(exc) from exc
        existing = await uow.users.by_email_key(email_key(address))
        if existing is None:
            user = User(
                email=address,
                email_key=email_key(address),
                password_hash=password_hash,
                first_name=first,
                last_name=last,
                password_changed_at=at,
                created_at=at,
                updated_at=at,
            )
            uow.users.add(user)
            uow.record(
                CustomerRegistered(customer_id=user.id, created_at=at.isoformat()),
                CustomerContactChanged(
                    customer_id=user.id,
                    email=user.email,
                    first_name=user.first_name,
                    last_name=user.last_name,
                    updated_at=at.isoformat(),
                ),
            )
            message = Message(
                to=address,
                subject="Welcome to Agora",
                text="Your Agora account is ready. Sign in with this email address.",
                kind="welcome",
            )
        else:
            message = Message(
                to=existing.email,
                subject="Someone tried to register with your email",
                text=(
                    "Someone tried to create an Agora account with this email address, which "
                    "already has one. If it was you, sign in or reset your password. If not, "
                    "you can ignore this message: nothing changed."
                ),
                kind="register_existing",
            )
        await uow.commit(idempotent_response={"ok": True})
    await runtime.deliver(message)
