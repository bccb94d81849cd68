"""Development only: the demo administrator ``admin@agora.local`` with every permission.

The password and TOTP secret are fixed and printed so a developer can sign in to the admin
(any TOTP app, or ``pyotp.TOTP(DEMO_TOTP_SECRET).now()``). Refused in production.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from shared.auth import Permission
from subgraphs.accounts.domain.models import PermissionGroup, User
from subgraphs.accounts.domain.passwords import Passwords, email_key
from subgraphs.accounts.uow import AccountsUnitOfWork

DEMO_ADMIN_EMAIL = "admin@agora.local"
DEMO_ADMIN_PASSWORD = "agora-admin-dev"  # noqa: S105 - development seed, printed on purpose
DEMO_TOTP_SECRET = "AGORADEVTOTPSECRETAGORADEVTOTP23"  # noqa: S105 - base32, development only
ADMIN_GROUP = "Administrators"


async def seed_demo_staff(
    uow_factory: Callable[[], AccountsUnitOfWork],
    *,
    production: bool,
    passwords: Passwords | None = None,
    echo: Callable[[str], None] = print,
) -> User | None:
    """Create the demo admin once (None when it exists already)."""
    if production:
        raise RuntimeError("the demo administrator is for development only")
    hasher = passwords or Passwords()
    async with uow_factory() as uow:
        if await uow.users.by_email_key(email_key(DEMO_ADMIN_EMAIL)) is not None:
            return None
    password_hash = await asyncio.to_thread(hasher.hash, DEMO_ADMIN_PASSWORD)
    async with uow_factory() as uow:
        admin = User(
            email=DEMO_ADMIN_EMAIL,
            email_key=email_key(DEMO_ADMIN_EMAIL),
            password_hash=password_hash,
            first_name="Demo",
            last_name="Admin",
            is_staff=True,
            mfa_secret=DEMO_TOTP_SECRET,
        )
        uow.users.add(admin)
        group = await uow.groups.by_name(ADMIN_GROUP)
        if group is None:
            group = PermissionGroup(
                name=ADMIN_GROUP, permissions=sorted(p.value for p in Permission)
            )
            uow.groups.add(group)
        await uow.session.flush()
        await uow.groups.add_member(group.id, admin.id)
        await uow.commit()
    echo(
        f"demo staff (development only): {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}, "
        f"TOTP secret {DEMO_TOTP_SECRET}"
    )
    return admin
