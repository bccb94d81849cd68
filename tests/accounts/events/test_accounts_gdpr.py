"""GDPR across subgraphs: a data export gathers every holder's data (accounts, checkout,
reviews, …) into one document for its owner only; erasure anonymizes accounts at once and the
others through CustomerDeleted."""

from __future__ import annotations

from functools import partial

from shared.app import SubgraphApp
from shared.auth import Permission, Principal
from shared.gdpr import PERSONAL_DATA_HOLDERS
from subgraphs.catalog.uow import CatalogUnitOfWork
from subgraphs.checkout.services.create_cart import create_cart
from subgraphs.checkout.uow import CheckoutUnitOfWork
from subgraphs.reviews.domain.models import ERASED_AUTHOR
from subgraphs.reviews.services.create_review import create_review
from subgraphs.reviews.uow import ReviewsUnitOfWork
from tests.accounts.support import ME, AccountsUow, FakeClock, login, register, user_id
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient, staff
from tests.reviews.support import drain, published_product

EXPORT = """
mutation Export { myDataExport { dataExport { id status document } userErrors { code } } }
"""
EXPORT_STATUS = """
query Export($id: ID!) { dataExport(id: $id) { id status document url completedAt } }
"""
DELETE = """
mutation Delete($password: String!) { accountDelete(input: {password: $password}) { userErrors { field code } } }
"""
AUDIT = "query { auditLog(first: 20) { edges { node { action targetId details } } } }"


async def _setup(
    make_subgraph: SubgraphFactory, client: SubgraphClient, accounts_uow: AccountsUow
) -> tuple[list[SubgraphApp], SubgraphApp, Principal, str]:
    holders = {
        name: await make_subgraph(name) for name in PERSONAL_DATA_HOLDERS if name != "accounts"
    }
    catalog = await make_subgraph("catalog")
    reviews = holders["reviews"]
    await register(client, "ada@example.com", firstName="Ada", lastName="Lovelace")
    ada = Principal.customer(await user_id(accounts_uow, "ada@example.com"))
    await create_cart(
        partial(holders["checkout"].infra.unit_of_work, CheckoutUnitOfWork),
        actor=ada,
        email="ada.shops@example.com",
    )
    product = await published_product(
        catalog, partial(catalog.infra.unit_of_work, CatalogUnitOfWork), "Loom"
    )
    review = await create_review(
        partial(reviews.infra.unit_of_work, ReviewsUnitOfWork),
        product_id=product.id,
        rating=5,
        title="Weaves patterns",
        body="Programmable!",
        author_name="Ada L.",
        actor=ada,
    )
    return [catalog, *holders.values()], reviews, ada, review.id


async def test_an_export_holds_every_holders_data_for_its_owner_only(
    accounts: SubgraphApp,
    make_subgraph: SubgraphFactory,
    client: SubgraphClient,
    accounts_uow: AccountsUow,
    clock: FakeClock,
) -> None:
    others, _reviews, ada, review_id = await _setup(make_subgraph, client, accounts_uow)

    started = (await client.execute(EXPORT, principal=ada))["data"]["myDataExport"]
    export_id = started["dataExport"]["id"]
    assert started["dataExport"]["status"] == "PENDING"
    assert started["dataExport"]["document"] is None
    await drain(accounts, *others)

    export = (await client.execute(EXPORT_STATUS, {"id": export_id}, principal=ada))["data"][
        "dataExport"
    ]
    assert export["status"] == "READY"
    document = export["document"]
    assert document["customer_id"] == ada.id
    assert set(document["data"]) == set(PERSONAL_DATA_HOLDERS)
    assert document["data"]["accounts"]["profile"]["email"] == "ada@example.com"
    assert document["data"]["accounts"]["profile"]["first_name"] == "Ada"
    assert "password_hash" not in str(document)
    (review,) = document["data"]["reviews"]["reviews"]
    assert (review["id"], review["title"], review["body"]) == (
        review_id,
        "Weaves patterns",
        "Programmable!",
    )
    (cart,) = document["data"]["checkout"]["carts"]
    assert (cart["email"], cart["status"]) == ("ada.shops@example.com", "ACTIVE")

    for other in (Principal.customer("mallory"), staff(Permission.MANAGE_CUSTOMERS)):
        hidden = await client.execute(EXPORT_STATUS, {"id": export_id}, principal=other)
        assert hidden["data"]["dataExport"] is None
    log = await client.execute(AUDIT, principal=staff(Permission.VIEW_AUDIT_LOG))
    actions = [
        (e["node"]["action"], e["node"]["details"]) for e in log["data"]["auditLog"]["edges"]
    ]
    assert ("data_export.requested", {"export_id": export_id}) in actions


async def test_erasure_anonymizes_accounts_and_unlinks_reviews(
    accounts: SubgraphApp,
    make_subgraph: SubgraphFactory,
    client: SubgraphClient,
    accounts_uow: AccountsUow,
    clock: FakeClock,
) -> None:
    others, reviews, ada, review_id = await _setup(make_subgraph, client, accounts_uow)

    wrong = await client.execute(DELETE, {"password": "not my password"}, principal=ada)
    assert wrong["data"]["accountDelete"]["userErrors"] == [
        {"field": ["password"], "code": "INVALID_CREDENTIALS"}
    ]
    done = await client.execute(DELETE, {"password": "correct horse battery"}, principal=ada)
    assert done == {"data": {"accountDelete": {"userErrors": []}}}
    await drain(accounts, *others)

    assert (await client.execute(ME, principal=ada))["data"]["me"] is None
    assert (await login(client, "ada@example.com"))["accessToken"] is None
    async with accounts_uow() as uow:
        user = await uow.users.get(str(ada.id))
        assert user is not None
        assert (user.email, user.first_name, user.password_hash) == (
            f"deleted-{ada.id}@deleted.invalid",
            "",
            None,
        )
        assert await uow.addresses.of_user(str(ada.id)) == []
        await uow.commit()
    async with reviews.infra.unit_of_work(ReviewsUnitOfWork) as uow:
        (review,) = await uow.reviews.by_ids([review_id])
        assert (review.customer_id, review.author_name, review.body) == (
            None,
            ERASED_AUTHOR,
            "Programmable!",
        )
        await uow.commit()
    (checkout,) = [app for app in others if app.infra.name == "checkout"]
    async with checkout.infra.unit_of_work(CheckoutUnitOfWork) as cuow:
        assert await cuow.carts.active_for_customer(str(ada.id)) is None  # the open cart went
        await cuow.commit()
    # Registering again with the address works: it is free after the erasure.
    await register(client, "ada@example.com")
    assert (await login(client, "ada@example.com"))["accessToken"]
