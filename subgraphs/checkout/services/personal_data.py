"""GDPR for the checkout subgraph: what it holds about a customer, and erasing it.

Held: the customer's carts (email, shipping address, lines) and completed checkouts (email,
shipping address, what was bought). The order, which tax law requires to keep, lives in the
orders subgraph; checkout keeps only anonymous totals of a deleted customer's checkouts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlmodel import col

from subgraphs.checkout.domain.models import Cart, CartLine, CartStatus
from subgraphs.checkout.uow import CheckoutUnitOfWork

ERASED = "erased"


async def collect_personal_data(uow: CheckoutUnitOfWork, customer_id: str) -> dict[str, Any]:
    carts = (
        await uow.session.execute(select(Cart).where(col(Cart.customer_id) == customer_id))
    ).scalars()
    out_carts = []
    for cart in carts:
        lines = await uow.carts.lines(cart.id)
        out_carts.append(
            {
                "id": cart.id,
                "status": cart.status,
                "email": cart.email,
                "shipping_address": cart.shipping_address,
                "lines": [{"variant_id": x.variant_id, "quantity": x.quantity} for x in lines],
                "created_at": cart.created_at.isoformat(),
            }
        )
    checkouts = [
        {
            "id": c.id,
            "order_id": c.order_id,
            "email": c.email,
            "shipping_address": c.summary.get("shipping_address"),
            "lines": c.summary.get("lines", []),
            "total": str(c.total),
            "currency": c.currency,
            "completed_at": c.completed_at.isoformat(),
        }
        for c in await uow.checkouts.of_customer(customer_id)
    ]
    return {"carts": out_carts, "checkouts": checkouts}


async def anonymize_customer(uow: CheckoutUnitOfWork, customer_id: str) -> None:
    """Open carts go (with their lines); completed ones and checkouts lose email and address;
    the contact learnt from accounts goes."""
    await uow.contacts.forget(customer_id)
    carts = list(
        (
            await uow.session.execute(select(Cart).where(col(Cart.customer_id) == customer_id))
        ).scalars()
    )
    open_ids = [c.id for c in carts if c.status != CartStatus.COMPLETED]
    if open_ids:
        await uow.session.execute(delete(CartLine).where(col(CartLine.cart_id).in_(open_ids)))
        await uow.session.execute(delete(Cart).where(col(Cart.id).in_(open_ids)))
    for cart in carts:
        if cart.status == CartStatus.COMPLETED:
            cart.email = None
            cart.shipping_address = None
    for checkout in await uow.checkouts.of_customer(customer_id):
        checkout.email = ERASED
        summary = dict(checkout.summary)
        summary["email"] = ERASED
        summary["shipping_address"] = {}
        checkout.summary = summary
