"""Checkout queries."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from subgraphs.checkout.graphql.context import CheckoutContext
from subgraphs.checkout.graphql.dataloaders import ActiveCartIdLoader
from subgraphs.checkout.graphql.types import Cart, Checkout, load_cart, load_checkout


@strawberry.type(name="Query")
class CheckoutQuery:
    @strawberry.field(
        description="A cart by id: a guest cart to whoever holds its id, a customer's cart "
        "to that customer only."
    )
    async def cart(self, info: Info[CheckoutContext, None], id: strawberry.ID) -> Cart | None:
        return await load_cart(info, str(id))

    @strawberry.field(description="The signed-in customer's active cart.")
    async def my_cart(self, info: Info[CheckoutContext, None]) -> Cart | None:
        principal = info.context.principal
        if not principal.is_customer or principal.id is None:
            return None
        cart_id = await info.context.loaders.get(ActiveCartIdLoader).load(principal.id)
        return await load_cart(info, cart_id) if cart_id else None

    @strawberry.field(description="A completed checkout (its buyer only).")
    async def checkout(
        self, info: Info[CheckoutContext, None], id: strawberry.ID
    ) -> Checkout | None:
        return await load_checkout(info, str(id))
