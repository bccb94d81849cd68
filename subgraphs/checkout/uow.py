"""The checkout subgraph's unit of work."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.uow import UnitOfWork
from subgraphs.checkout.repository import (
    CartRepository,
    CheckoutRepository,
    ContactRepository,
    PromotionRepository,
    ShippingRepository,
    TaxRepository,
    VariantRepository,
)


class CheckoutUnitOfWork(UnitOfWork):
    carts: CartRepository
    variants: VariantRepository
    shipping: ShippingRepository
    taxes: TaxRepository
    promotions: PromotionRepository
    checkouts: CheckoutRepository
    contacts: ContactRepository

    def open_repositories(self, session: AsyncSession) -> None:
        self.carts = CartRepository(session)
        self.variants = VariantRepository(session)
        self.shipping = ShippingRepository(session)
        self.taxes = TaxRepository(session)
        self.promotions = PromotionRepository(session)
        self.checkouts = CheckoutRepository(session)
        self.contacts = ContactRepository(session)
