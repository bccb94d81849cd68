"""Checkout GraphQL types. ``Cart`` is an entity of its own; ``Customer`` and ``ProductVariant``
are other subgraphs' entities, extended here."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from shared.graphql.types import Money
from subgraphs.checkout.domain.access import can_access_cart, can_access_checkout
from subgraphs.checkout.domain.models import MAX_QUANTITY_PER_LINE
from subgraphs.checkout.domain.models import Checkout as CheckoutModel
from subgraphs.checkout.domain.views import (
    CartView,
    CodeStatus,
    LineView,
    Problem,
    ProblemCode,
    ShippingOption,
)
from subgraphs.checkout.graphql.context import CheckoutContext
from subgraphs.checkout.graphql.dataloaders import (
    ActiveCartIdLoader,
    AvailabilityLoader,
    CartViewLoader,
    CheckoutLoader,
)

CodeStatusEnum = strawberry.enum(
    CodeStatus, name="CartCodeStatus", description="Whether a code counts, and if not, why."
)
ProblemCodeEnum = strawberry.enum(
    ProblemCode, name="CartProblemCode", description="A non-blocking issue with a cart line."
)


def money(amount: Decimal, currency: str) -> Money:
    return Money(amount=amount, currency_code=currency)


@strawberry.federation.type(keys=["id"], description="A product variant (catalog's entity).")
class ProductVariant:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ProductVariant:
        return cls(id=id)


@strawberry.type(description="One item of a cart.")
class CartLine:
    id: strawberry.ID
    quantity: int
    merchandise: ProductVariant
    sku: str
    name: str
    unit_price: Money = strawberry.field(description="Today's price of one unit.")
    total_price: Money = strawberry.field(description="unitPrice × quantity, before discounts.")
    discount_amount: Money = strawberry.field(description="This line's share of discounts.")

    @classmethod
    def from_view(cls, line: LineView, currency: str) -> CartLine:
        return cls(
            id=strawberry.ID(line.id),
            quantity=line.quantity,
            merchandise=ProductVariant(id=strawberry.ID(line.variant_id)),
            sku=line.sku,
            name=line.name,
            unit_price=money(line.unit_price, currency),
            total_price=money(line.total, currency),
            discount_amount=money(line.discount, currency),
        )


@strawberry.type(description="The cost of a cart, shown before payment.")
class CartCost:
    subtotal_amount: Money = strawberry.field(description="Sum of the lines.")
    shipping_amount: Money = strawberry.field(description="The selected method's rate.")
    tax_amount: Money = strawberry.field(
        description="Tax; included in the prices (not added) when pricesIncludeTax."
    )
    discount_amount: Money = strawberry.field(description="Promotions, shipping discount included.")
    gift_card_amount: Money = strawberry.field(description="Paid by gift cards.")
    total_amount: Money = strawberry.field(
        description="subtotal + shipping + tax (unless included) − discounts − gift cards."
    )
    prices_include_tax: bool


@strawberry.type(description="A discount code on a cart.")
class CartDiscountCode:
    code: str
    applicable: bool
    status: CodeStatusEnum  # type: ignore[valid-type]
    amount: Money = strawberry.field(description="What this code takes off now.")


@strawberry.type(description="A gift card applied to a cart (only its last characters are shown).")
class AppliedGiftCard:
    last_characters: str
    status: CodeStatusEnum  # type: ignore[valid-type]
    amount_used: Money


@strawberry.type(description="Who is buying.")
class CartBuyerIdentity:
    email: str | None
    customer_id: strawberry.ID | None


@strawberry.type(description="A postal address.")
class MailingAddress:
    first_name: str
    last_name: str
    company: str
    address1: str
    address2: str
    city: str
    province_code: str
    postal_code: str
    country_code: str
    phone: str


@strawberry.type(description="A way to ship the cart and its price for this cart.")
class DeliveryOption:
    id: strawberry.ID
    title: str
    amount: Money

    @classmethod
    def of(cls, option: ShippingOption, currency: str) -> DeliveryOption:
        return cls(
            id=strawberry.ID(option.method_id),
            title=option.name,
            amount=money(option.amount, currency),
        )


@strawberry.type(description="A non-blocking issue with a line (the cart can still change).")
class CartProblem:
    code: ProblemCodeEnum  # type: ignore[valid-type]
    line_id: strawberry.ID
    merchandise_id: strawberry.ID
    message: str


@strawberry.federation.type(keys=["id"], description="A shopping cart and its checkout.")
class Cart:
    id: strawberry.ID
    view: strawberry.Private[CartView]

    @classmethod
    def from_view(cls, view: CartView) -> Cart:
        return cls(id=strawberry.ID(view.cart.id), view=view)

    @strawberry.field(description="ACTIVE, MERGED (into a customer's cart) or COMPLETED.")
    def status(self) -> str:
        return str(self.view.cart.status)

    @strawberry.field(description="When a guest cart expires (null for customers' carts).")
    def expires_at(self) -> datetime | None:
        return self.view.cart.expires_at

    @strawberry.field(description="Last change.")
    def updated_at(self) -> datetime:
        return self.view.cart.updated_at

    @strawberry.field
    def buyer_identity(self) -> CartBuyerIdentity:
        cart = self.view.cart
        return CartBuyerIdentity(
            email=cart.email,
            customer_id=strawberry.ID(cart.customer_id) if cart.customer_id else None,
        )

    @strawberry.field(description="The lines, oldest first.")
    def lines(self) -> list[CartLine]:
        return [CartLine.from_view(line, self.view.currency) for line in self.view.lines]

    @strawberry.field(description="Sum of the quantities.")
    def total_quantity(self) -> int:
        return self.view.total_quantity

    @strawberry.field(description=f"At most this many of one item ({MAX_QUANTITY_PER_LINE}).")
    def max_quantity_per_line(self) -> int:
        return MAX_QUANTITY_PER_LINE

    @strawberry.field
    def cost(self) -> CartCost:
        cost, cur = self.view.cost, self.view.currency
        return CartCost(
            subtotal_amount=money(cost.subtotal, cur),
            shipping_amount=money(cost.shipping, cur),
            tax_amount=money(cost.tax, cur),
            discount_amount=money(cost.discounts, cur),
            gift_card_amount=money(cost.gift_cards, cur),
            total_amount=money(cost.total, cur),
            prices_include_tax=cost.prices_include_tax,
        )

    @strawberry.field
    def discount_codes(self) -> list[CartDiscountCode]:
        cur = self.view.currency
        return [
            CartDiscountCode(
                code=c.code, applicable=c.applicable, status=c.status, amount=money(c.amount, cur)
            )
            for c in self.view.discount_codes
        ]

    @strawberry.field
    def applied_gift_cards(self) -> list[AppliedGiftCard]:
        cur = self.view.currency
        return [
            AppliedGiftCard(
                last_characters=c.code[-4:], status=c.status, amount_used=money(c.amount, cur)
            )
            for c in self.view.gift_cards
        ]

    @strawberry.field
    def shipping_address(self) -> MailingAddress | None:
        address = self.view.address
        return MailingAddress(**address.to_dict()) if address else None

    @strawberry.field(description="Methods that ship this cart to its address, with prices.")
    def delivery_options(self) -> list[DeliveryOption]:
        return [DeliveryOption.of(o, self.view.currency) for o in self.view.shipping_options]

    @strawberry.field
    def selected_delivery_option(self) -> DeliveryOption | None:
        selected = self.view.selected_method
        return DeliveryOption.of(selected, self.view.currency) if selected else None

    @strawberry.field(description="The completed checkout, once the cart is COMPLETED.")
    def checkout_id(self) -> strawberry.ID | None:
        cid = self.view.cart.checkout_id
        return strawberry.ID(cid) if cid else None

    @strawberry.field(
        description="Non-blocking issues: out of stock, not enough stock (from inventory), "
        "price changed since added, product no longer sold."
    )
    async def problems(self, info: Info[CheckoutContext, None]) -> list[CartProblem]:
        found: list[Problem] = list(self.view.problems)
        lines = [line for line in self.view.lines if line.available]
        loader = info.context.loaders.get(AvailabilityLoader)
        stocks = await loader.load_many([line.variant_id for line in lines])
        for line, stock in zip(lines, stocks, strict=True):
            if stock is None:
                continue
            if not stock.in_stock or stock.available <= 0:
                found.append(
                    Problem(ProblemCode.OUT_OF_STOCK, line.id, line.variant_id, "Out of stock.")
                )
            elif stock.available < line.quantity:
                found.append(
                    Problem(
                        ProblemCode.INSUFFICIENT_STOCK,
                        line.id,
                        line.variant_id,
                        f"Only {stock.available} left.",
                    )
                )
        return [
            CartProblem(
                code=p.code,
                line_id=strawberry.ID(p.line_id),
                merchandise_id=strawberry.ID(p.variant_id),
                message=p.message,
            )
            for p in found
        ]

    @classmethod
    async def resolve_reference(
        cls, info: Info[CheckoutContext, None], id: strawberry.ID
    ) -> Cart | None:
        return await load_cart(info, str(id))


async def load_cart(info: Info[CheckoutContext, None], cart_id: str) -> Cart | None:
    """The cart if the caller may see it (another customer's cart does not exist for you)."""
    view = await info.context.loaders.get(CartViewLoader).load(cart_id)
    if view is None or not can_access_cart(view.cart, info.context.principal):
        return None
    return Cart.from_view(view)


@strawberry.type(description="A completed checkout line.")
class CheckoutLine:
    merchandise_id: strawberry.ID
    sku: str
    name: str
    quantity: int
    unit_price: Money
    total: Money


@strawberry.federation.type(keys=["id"], description="An order (the orders subgraph's entity).")
class Order:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Order:
        return cls(id=id)


@strawberry.type(
    description=(
        "A completed checkout: stock reserved, the order placed; payment follows through the "
        "order (watch `order.status`)."
    )
)
class Checkout:
    id: strawberry.ID
    cart_id: strawberry.ID
    email: str
    completed_at: datetime
    order: Order | None = strawberry.field(
        description="The order this checkout placed (null for checkouts from before orders)."
    )
    order_token: str | None = strawberry.field(
        description=(
            "The secret a guest needs to read the order (`order(id:, token:)`); keep it private."
        )
    )
    subtotal: Money
    shipping: Money
    tax: Money
    discounts: Money
    gift_cards: Money
    total: Money
    lines: list[CheckoutLine]

    @classmethod
    def from_model(cls, model: CheckoutModel) -> Checkout:
        s, cur = model.summary, model.currency

        def m(key: str) -> Money:
            return money(Decimal(str(s[key])), cur)

        return cls(
            id=strawberry.ID(model.id),
            cart_id=strawberry.ID(model.cart_id),
            email=model.email,
            completed_at=model.completed_at,
            order=Order(id=strawberry.ID(model.order_id)) if model.order_id else None,
            order_token=model.order_token,
            subtotal=m("subtotal"),
            shipping=m("shipping_amount"),
            tax=m("tax"),
            discounts=m("discounts"),
            gift_cards=m("gift_cards"),
            total=m("total"),
            lines=[
                CheckoutLine(
                    merchandise_id=strawberry.ID(str(x["variant_id"])),
                    sku=str(x["sku"]),
                    name=str(x["name"]),
                    quantity=int(x["quantity"]),
                    unit_price=money(Decimal(str(x["unit_price"])), cur),
                    total=money(Decimal(str(x["total"])), cur),
                )
                for x in s["lines"]
            ],
        )


async def load_checkout(info: Info[CheckoutContext, None], checkout_id: str) -> Checkout | None:
    model = await info.context.loaders.get(CheckoutLoader).load(checkout_id)
    if model is None or not can_access_checkout(model, info.context.principal):
        return None
    return Checkout.from_model(model)


@strawberry.federation.type(keys=["id"], description="A customer (accounts' entity).")
class Customer:
    id: strawberry.ID

    @strawberry.field(description="The customer's active cart; only the customer sees it.")
    async def cart(self, info: Info[CheckoutContext, None]) -> Cart | None:
        if not info.context.principal.is_customer_id(str(self.id)):
            return None
        cart_id = await info.context.loaders.get(ActiveCartIdLoader).load(str(self.id))
        return await load_cart(info, cart_id) if cart_id else None

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Customer:
        return cls(id=id)
