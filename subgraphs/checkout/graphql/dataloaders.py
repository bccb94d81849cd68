"""Request-scoped batch loaders of the checkout subgraph; each batch is one ``Database.read``."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiodataloader import DataLoader

from shared.graphql.dataloaders import DatabaseLoader
from shared.service_client import ServiceUnavailable
from subgraphs.checkout.adapters.inventory import Availability, InventoryGateway
from subgraphs.checkout.domain.models import Checkout
from subgraphs.checkout.domain.views import CartView, price_cart
from subgraphs.checkout.repository import CartReader

log = logging.getLogger(__name__)


class CartViewLoader(DatabaseLoader[str, CartView | None]):
    """Carts by id, priced (a constant number of statements per batch)."""

    async def batch_load_fn(self, keys: Sequence[str]) -> list[CartView | None]:
        contexts = await self.database.read(lambda s: CartReader(s).contexts(keys))
        return [price_cart(contexts[k]) if k in contexts else None for k in keys]


class ActiveCartIdLoader(DatabaseLoader[str, str | None]):
    """A customer's active cart id, by customer id."""

    async def batch_load_fn(self, keys: Sequence[str]) -> list[str | None]:
        found = await self.database.read(lambda s: CartReader(s).active_cart_ids(keys))
        return [found.get(k) for k in keys]


class CheckoutLoader(DatabaseLoader[str, Checkout | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[Checkout | None]:
        found = await self.database.read(lambda s: CartReader(s).checkouts(keys))
        return [found.get(k) for k in keys]


class AvailabilityLoader(DataLoader[str, Availability | None]):
    """Stock of variants from inventory, one call per batch; None when inventory cannot answer
    (problems then list what is known without it)."""

    def __init__(self, inventory: InventoryGateway) -> None:
        super().__init__()
        self.inventory = inventory

    async def batch_load_fn(self, keys: Sequence[str]) -> list[Availability | None]:
        try:
            found = await self.inventory.availability(list(keys))
        except ServiceUnavailable as exc:
            log.warning("inventory availability unavailable", extra={"error": str(exc)})
            return [None for _ in keys]
        return [found.get(k) for k in keys]
