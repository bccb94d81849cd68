"""What the checkout subgraph does with events: keep ``catalog_variants`` (the catalog's
prices and names carts are priced with), give back what a cancelled order's checkout took, and
answer GDPR export/erasure. Registered in ``HANDLERS``; each runs once per event
(inbox). Every change is monotonic: an event older than what a row holds changes nothing
(``updated_at`` of the payload when present, else the envelope's ``occurred_at``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.consumer import EventHandler
from shared.events import Envelope
from shared.gdpr import gdpr_handlers
from subgraphs.checkout.services.cancelled_orders import give_back_cancelled_order
from subgraphs.checkout.services.personal_data import anonymize_customer, collect_personal_data
from subgraphs.checkout.uow import CheckoutUnitOfWork


def _as_of(envelope: Envelope) -> datetime:
    raw = envelope.payload.get("updated_at")
    if isinstance(raw, str):
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            return envelope.occurred_at
        if parsed.tzinfo is not None:
            return parsed
    return envelope.occurred_at


async def remember_product(uow: CheckoutUnitOfWork, envelope: Envelope) -> None:
    """ProductUpserted → each variant's sku, names, price, weight and whether it is sold. An
    event without ``variants`` (the catalog's first version) is skipped; a variant the newer
    event no longer lists stops being sold."""
    payload = envelope.payload
    variants = payload.get("variants")
    if not isinstance(variants, list):
        return
    as_of = _as_of(envelope)
    product_id = str(payload["product_id"])
    published = payload.get("status") == "PUBLISHED"
    listed: set[str] = set()
    for variant in variants:
        if not isinstance(variant, dict):
            continue
        listed.add(str(variant["variant_id"]))
        await uow.variants.remember(_variant_row(product_id, payload, variant, published, as_of))
    await uow.variants.withdraw_product(product_id, as_of, keep=sorted(listed))


def _variant_row(
    product_id: str,
    product: Mapping[str, Any],
    variant: Mapping[str, Any],
    published: bool,
    as_of: datetime,
) -> dict[str, Any]:
    return {
        "variant_id": str(variant["variant_id"]),
        "product_id": product_id,
        "sku": str(variant.get("sku") or "")[:120],
        "product_name": str(product.get("name") or "")[:250],
        "variant_name": str(variant.get("name") or "")[:250],
        "price_amount": Decimal(str(variant.get("price_amount") or product["price_amount"])),
        "currency": str(variant.get("currency") or product["currency"]),
        "weight_grams": int(variant.get("weight_grams") or 0),
        "available": published,
        "as_of": as_of,
    }


async def withdraw_product(uow: CheckoutUnitOfWork, envelope: Envelope) -> None:
    """ProductDeleted → its variants are no longer sold (carts show PRODUCT_UNAVAILABLE)."""
    await uow.variants.withdraw_product(str(envelope.payload["product_id"]), _as_of(envelope))


async def change_price(uow: CheckoutUnitOfWork, envelope: Envelope) -> None:
    """PriceChanged → the variant's price (``variant_id`` given), else every variant of the
    product (today's catalog prices products)."""
    payload = envelope.payload
    variant_id = payload.get("variant_id")
    await uow.variants.change_price(
        product_id=str(payload["product_id"]),
        variant_id=str(variant_id) if variant_id else None,
        amount=Decimal(str(payload["new_amount"])),
        currency=str(payload["new_currency"]),
        as_of=_as_of(envelope),
    )


async def remember_contact(uow: CheckoutUnitOfWork, envelope: Envelope) -> None:
    """CustomerContactChanged (accounts) → the email a signed-in customer's carts get."""
    payload = envelope.payload
    await uow.contacts.remember(
        {
            "customer_id": str(payload["customer_id"])[:64],
            "email": str(payload["email"])[:254],
            "first_name": str(payload.get("first_name") or "")[:120],
            "last_name": str(payload.get("last_name") or "")[:120],
            "as_of": _as_of(envelope),
        }
    )


async def order_cancelled(uow: CheckoutUnitOfWork, envelope: Envelope) -> None:
    """OrderCancelled (orders) → promotion uses and gift-card debits given back; a failed
    payment reopens the cart (services/cancelled_orders.py)."""
    await give_back_cancelled_order(
        uow,
        order_id=str(envelope.payload["order_id"]),
        reason=str(envelope.payload.get("reason") or ""),
    )


HANDLERS: Mapping[str, EventHandler[CheckoutUnitOfWork]] = {
    "ProductUpserted": remember_product,
    "ProductDeleted": withdraw_product,
    "PriceChanged": change_price,
    "OrderCancelled": order_cancelled,
    "CustomerContactChanged": remember_contact,
    **gdpr_handlers("checkout", collect=collect_personal_data, anonymize=anonymize_customer),
}
