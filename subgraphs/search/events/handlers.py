"""What the search subgraph does with events. Registered in ``HANDLERS``; each is idempotent
(``shared.consumer.idempotent`` claims the inbox row in the same transaction) and safe against
events arriving out of order: a change older than what is stored changes nothing.

Every handler stores the change, then ``uow.touch``es the product: once the transaction has
committed, the indexer refreshes that product's index entry from the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from shared.consumer import EventHandler
from shared.events import Envelope
from subgraphs.search.domain.document import from_product_upserted
from subgraphs.search.uow import SearchUnitOfWork

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # a placeholder any real stock event overrides


async def product_upserted(uow: SearchUnitOfWork, envelope: Envelope) -> None:
    """ProductUpserted (catalog) → the stored document; a draft leaves the index."""
    state = from_product_upserted(envelope.payload, occurred_at=envelope.occurred_at)
    variants = envelope.payload.get("variants") or []
    prices = {
        str(v["variant_id"]): str(v["price_amount"])
        for v in variants
        if isinstance(v, Mapping) and v.get("variant_id") and v.get("price_amount") is not None
    }
    await uow.documents.save_product(state, prices)
    ids, names = envelope.payload.get("category_ids"), envelope.payload.get("category_names")
    if isinstance(ids, list) and isinstance(names, list) and len(ids) == len(names):
        await uow.documents.remember_category_labels(
            [(str(i), str(n)) for i, n in zip(ids, names, strict=True)],
            state.document.updated_at,
        )
    for variant_id in state.variant_ids:  # so stock events naming only a variant find it
        if await uow.documents.product_of_variant(variant_id) is None:
            await uow.documents.set_stock(variant_id, state.document.product_id, 1, EPOCH)
    uow.touch(state.document.product_id)


async def product_deleted(uow: SearchUnitOfWork, envelope: Envelope) -> None:
    """ProductDeleted (catalog) → a tombstone; the product leaves the index."""
    product_id = str(envelope.payload["product_id"])
    await uow.documents.mark_deleted(product_id, envelope.occurred_at)
    uow.touch(product_id)


async def price_changed(uow: SearchUnitOfWork, envelope: Envelope) -> None:
    """PriceChanged (catalog) → the product's lowest price, for filters, facets and sorting."""
    payload = envelope.payload
    product_id = str(payload["product_id"])
    product = await uow.documents.get(product_id)
    if product is None or envelope.occurred_at < product.updated_at:
        return
    try:
        amount = Decimal(str(payload["new_amount"]))
    except (InvalidOperation, KeyError):
        return
    variant_id = payload.get("variant_id")
    await uow.documents.set_price(
        product,
        variant_id=str(variant_id) if variant_id else None,
        amount=amount,
        currency=str(payload.get("new_currency") or ""),
        as_of=envelope.occurred_at,
    )
    uow.touch(product_id)


async def stock_changed(uow: SearchUnitOfWork, envelope: Envelope) -> None:
    """StockChanged / BackInStock / StockLow (inventory) → the product's ``in_stock``."""
    payload = envelope.payload
    variant_id = str(payload["variant_id"])
    product_id = payload.get("product_id") or await uow.documents.product_of_variant(variant_id)
    if not product_id:
        return  # a variant of a product search has not heard of: its upsert will come
    await uow.documents.set_stock(
        variant_id, str(product_id), int(payload.get("available", 0)), envelope.occurred_at
    )
    uow.touch(str(product_id))


async def review_posted(uow: SearchUnitOfWork, envelope: Envelope) -> None:
    """ReviewPosted (reviews) → the product's average rating (published reviews only)."""
    if envelope.payload.get("status", "APPROVED") != "APPROVED":
        return
    product_id = str(envelope.payload["product_id"])
    await uow.documents.add_rating(product_id, int(envelope.payload["rating"]))
    uow.touch(product_id)


async def review_moderated(uow: SearchUnitOfWork, envelope: Envelope) -> None:
    """ReviewModerated (reviews) → the rating counts while the review is APPROVED."""
    payload = envelope.payload
    was = payload.get("previous_status") == "APPROVED"
    counts = payload.get("status") == "APPROVED"
    if was == counts:
        return
    product_id = str(payload["product_id"])
    await uow.documents.add_rating(product_id, int(payload["rating"]), 1 if counts else -1)
    uow.touch(product_id)


HANDLERS: Mapping[str, EventHandler[SearchUnitOfWork]] = {
    "ProductUpserted": product_upserted,
    "ProductDeleted": product_deleted,
    "PriceChanged": price_changed,
    "StockChanged": stock_changed,
    "BackInStock": stock_changed,
    "StockLow": stock_changed,
    "ReviewPosted": review_posted,
    "ReviewModerated": review_moderated,
}
