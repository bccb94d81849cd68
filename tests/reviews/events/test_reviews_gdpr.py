"""Reviews as a personal-data holder: a signed-in author's reviews are linked to them, exported
on DataExportRequested and unlinked (text kept) on CustomerDeleted — each event applied once."""

from __future__ import annotations

from shared.app import SubgraphApp
from shared.auth import Principal
from shared.events import Envelope
from shared.gdpr import CustomerDeleted, DataExportRequested
from subgraphs.reviews.domain.models import ERASED_AUTHOR
from subgraphs.reviews.services.create_review import create_review
from tests.catalog.support import CatalogUow, outbox_events
from tests.reviews.support import ReviewsUow, published_product


async def test_export_and_erasure_of_an_authors_reviews(
    catalog: SubgraphApp, reviews: SubgraphApp, catalog_uow: CatalogUow, reviews_uow: ReviewsUow
) -> None:
    product = await published_product(catalog, catalog_uow, "Loom")
    mine = await create_review(
        reviews_uow,
        product_id=product.id,
        rating=4,
        title="Good",
        body="Nice",
        author_name="Ada",
        actor=Principal.customer("c1"),
    )
    anonymous = await create_review(
        reviews_uow, product_id=product.id, rating=2, title="Meh", body="", author_name="Bo"
    )
    assert (mine.customer_id, anonymous.customer_id) == ("c1", None)

    requested = Envelope.from_event(
        DataExportRequested(export_id="e1", customer_id="c1"), source="accounts"
    )
    await reviews.infra.bus.publish(requested)
    answers = [p for t, p in await outbox_events(reviews) if t == "PersonalDataCollected"]
    assert len(answers) == 1
    assert answers[0]["subgraph"] == "reviews"
    assert [r["id"] for r in answers[0]["data"]["reviews"]] == [mine.id]

    deleted = Envelope.from_event(CustomerDeleted(customer_id="c1"), source="accounts")
    await reviews.infra.bus.publish(deleted)
    await reviews.infra.bus.publish(deleted)  # redelivered: applied once

    async with reviews_uow() as uow:
        found = {r.id: r for r in await uow.reviews.by_ids([mine.id, anonymous.id])}
        await uow.commit()
    assert (found[mine.id].customer_id, found[mine.id].author_name, found[mine.id].body) == (
        None,
        ERASED_AUTHOR,
        "Nice",
    )
    assert found[anonymous.id].author_name == "Bo"
