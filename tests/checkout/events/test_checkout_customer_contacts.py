"""A signed-in customer's carts get their email from accounts (CustomerContactChanged): on a new
cart, and at completion of a cart made before the email was known; a newer change wins, an older
one arriving late does not; erasure forgets it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from subgraphs.accounts.uow import AccountsUnitOfWork
from subgraphs.checkout.services.personal_data import anonymize_customer
from subgraphs.checkout.uow import CheckoutUnitOfWork
from tests.accounts.support import register, user_id
from tests.checkout.support import ADDRESS, COMPLETE, DE_ADDRESS, METHOD, Shop, new_cart, ok
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient, customer
from tests.reviews.support import drain

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def contact(customer_id: str, email: str, at: datetime) -> Envelope:
    return Envelope(
        type="CustomerContactChanged",
        source="accounts",
        key=customer_id,
        occurred_at=at,
        payload={
            "customer_id": customer_id,
            "email": email,
            "first_name": "Ada",
            "last_name": "Lovelace",
            "updated_at": at.isoformat(),
        },
    )


async def test_a_registered_customer_s_cart_gets_their_email_from_accounts(
    make_subgraph: SubgraphFactory, checkout: SubgraphApp, client: SubgraphClient, shop: Shop
) -> None:
    accounts = await make_subgraph("accounts")
    accounts_client = SubgraphClient(accounts)
    try:
        await register(accounts_client, "ada@example.com", firstName="Ada")
        ada = customer(
            await user_id(
                partial(accounts.infra.unit_of_work, AccountsUnitOfWork), "ada@example.com"
            )
        )
    finally:
        await accounts_client.aclose()
    await drain(accounts)

    cart = await new_cart(client, [("mug", 1)], principal=ada)
    assert cart["buyerIdentity"]["email"] == "ada@example.com"


async def test_completion_fills_the_email_a_newer_change_wins_erasure_forgets(
    checkout: SubgraphApp, client: SubgraphClient, bus: InMemoryEventBus, shop: Shop
) -> None:
    ada = customer("cust-ada")
    cart = await new_cart(client, [("mug", 1)], principal=ada)  # email not known yet
    assert cart["buyerIdentity"]["email"] is None
    for query, variables in (
        (ADDRESS, {"address": DE_ADDRESS}),
        (METHOD, {"method": shop.flat_id}),
    ):
        await ok(client, query, {"cartId": cart["id"], **variables}, principal=ada)
    early = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "a"}, principal=ada)
    assert early["userErrors"][0]["code"] == "EMAIL_REQUIRED"

    await bus.publish(contact("cust-ada", "ada@new.example", T0 + timedelta(days=1)))
    await bus.publish(contact("cust-ada", "ada@old.example", T0))  # late and older: ignored

    done = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "b"}, principal=ada)
    assert done["userErrors"] == []
    assert done["checkout"]["email"] == "ada@new.example"
    async with checkout.infra.unit_of_work(CheckoutUnitOfWork) as uow:
        await anonymize_customer(uow, "cust-ada")
        await uow.commit()
    async with checkout.infra.unit_of_work(CheckoutUnitOfWork) as uow:
        assert await uow.contacts.email_of("cust-ada") is None
        await uow.commit()
