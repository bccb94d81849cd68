"""The checkout subgraph's only SQL. Repositories (async, in units of work) never commit;
``CartReader`` (sync, inside ``Database.read`` or ``AsyncSession.run_sync``) gathers everything
needed to price carts in a constant number of statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CursorResult, Table, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import col

from shared.sql import upsert
from subgraphs.checkout.domain.models import (
    Cart,
    CartLine,
    CartStatus,
    CatalogVariant,
    Checkout,
    CustomerContact,
    GiftCard,
    GiftCardUse,
    Promotion,
    PromotionUse,
    ShippingMethod,
    ShippingZone,
    ShopSettings,
    TaxRate,
)
from subgraphs.checkout.domain.views import CartContext

_variants: Table = CatalogVariant.__table__  # type: ignore[attr-defined]
_tax_rates: Table = TaxRate.__table__  # type: ignore[attr-defined]
_contacts: Table = CustomerContact.__table__  # type: ignore[attr-defined]
_settings: Table = ShopSettings.__table__  # type: ignore[attr-defined]


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


class CartRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, cart: Cart) -> None:
        self.session.add(cart)

    async def get(self, cart_id: str, *, for_update: bool = False) -> Cart | None:
        statement = select(Cart).where(col(Cart.id) == cart_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def active_for_customer(self, customer_id: str) -> Cart | None:
        statement = select(Cart).where(
            col(Cart.customer_id) == customer_id, col(Cart.status) == CartStatus.ACTIVE
        )
        return (await self.session.execute(statement.with_for_update())).scalar_one_or_none()

    async def lines(self, cart_id: str) -> list[CartLine]:
        statement = (
            select(CartLine)
            .where(col(CartLine.cart_id) == cart_id)
            .order_by(col(CartLine.created_at), col(CartLine.id))
        )
        return list((await self.session.execute(statement)).scalars())

    def add_line(self, line: CartLine) -> None:
        self.session.add(line)

    async def delete_line(self, line: CartLine) -> None:
        await self.session.delete(line)

    async def flush(self) -> None:
        await self.session.flush()

    async def claim_completion(self, cart_id: str, key: str, at: datetime, stale: datetime) -> bool:
        """Mark the cart as being completed with ``key``: one conditional statement, so of
        concurrent completions exactly one wins. A claim older than ``stale`` (a crashed
        attempt) may be taken over."""
        result = await self.session.execute(
            update(Cart)
            .where(
                col(Cart.id) == cart_id,
                col(Cart.status) == CartStatus.ACTIVE,
                or_(
                    col(Cart.completing_key).is_(None),
                    col(Cart.completing_since) < stale,
                ),
            )
            .values(completing_key=key, completing_since=at)
        )
        return _rowcount(result) == 1

    async def release_completion(self, cart_id: str, key: str) -> None:
        await self.session.execute(
            update(Cart)
            .where(col(Cart.id) == cart_id, col(Cart.completing_key) == key)
            .values(completing_key=None, completing_since=None)
        )

    async def delete_expired(self, at: datetime) -> int:
        """The sweeper: expired guest carts and their lines go (lazy expiry hides them before)."""
        expired = select(col(Cart.id)).where(
            col(Cart.expires_at) < at, col(Cart.status) != CartStatus.COMPLETED
        )
        await self.session.execute(delete(CartLine).where(col(CartLine.cart_id).in_(expired)))
        return _rowcount(
            await self.session.execute(
                delete(Cart).where(
                    col(Cart.expires_at) < at, col(Cart.status) != CartStatus.COMPLETED
                )
            )
        )


class VariantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    async def by_ids(self, ids: Sequence[str]) -> dict[str, CatalogVariant]:
        statement = select(CatalogVariant).where(col(CatalogVariant.variant_id).in_(list(ids)))
        return {v.variant_id: v for v in (await self.session.execute(statement)).scalars()}

    async def remember(self, values: dict[str, Any]) -> None:
        """Keep the newest state of a variant; an older event arriving late changes nothing."""
        changes = {k: v for k, v in values.items() if k != "variant_id"}
        await self.session.execute(
            upsert(
                self.dialect,
                _variants,
                values,
                key=["variant_id"],
                set_=changes,
                where=_variants.c.as_of < values["as_of"],
            )
        )

    async def withdraw_product(
        self, product_id: str, as_of: datetime, *, keep: Sequence[str] = ()
    ) -> None:
        """Its variants (but ``keep``) are no longer sold, unless a newer event said otherwise."""
        await self.session.execute(
            update(_variants)
            .where(
                _variants.c.product_id == product_id,
                _variants.c.as_of < as_of,
                _variants.c.variant_id.not_in(list(keep)),
            )
            .values(available=False, as_of=as_of)
        )

    async def change_price(
        self,
        *,
        product_id: str,
        variant_id: str | None,
        amount: Decimal,
        currency: str,
        as_of: datetime,
    ) -> None:
        condition = (
            _variants.c.variant_id == variant_id
            if variant_id is not None
            else _variants.c.product_id == product_id
        )
        await self.session.execute(
            update(_variants)
            .where(condition, _variants.c.as_of < as_of)
            .values(price_amount=amount, currency=currency, as_of=as_of)
        )


class ShippingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, item: ShippingZone | ShippingMethod) -> None:
        self.session.add(item)

    async def zone(self, zone_id: str) -> ShippingZone | None:
        return await self.session.get(ShippingZone, zone_id)

    async def method(self, method_id: str) -> ShippingMethod | None:
        return await self.session.get(ShippingMethod, method_id)

    async def zones(self) -> list[ShippingZone]:
        statement = select(ShippingZone).order_by(col(ShippingZone.name))
        return list((await self.session.execute(statement)).scalars())

    async def shipped_countries(self) -> set[str]:
        return {c for zone in await self.zones() for c in zone.countries}

    async def methods(self) -> list[ShippingMethod]:
        statement = select(ShippingMethod).order_by(col(ShippingMethod.name))
        return list((await self.session.execute(statement)).scalars())


class TaxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    async def set_rate(self, *, country: str, region: str, rate: Decimal) -> TaxRate:
        existing = (
            await self.session.execute(
                select(TaxRate).where(
                    col(TaxRate.country) == country, col(TaxRate.region) == region
                )
            )
        ).scalar_one_or_none()
        if existing is None:
            existing = TaxRate(country=country, region=region, rate=rate)
            self.session.add(existing)
        else:
            existing.rate = rate
        return existing

    async def rates(self) -> dict[tuple[str, str], Decimal]:
        """Every rate by (country, region); region "" is the country's own."""
        rows = await self.session.execute(select(TaxRate))
        return {(r.country, r.region): r.rate for r in rows.scalars()}

    async def set_prices_include_tax(self, value: bool) -> None:
        await self.session.execute(
            upsert(
                self.dialect,
                _settings,
                {"id": 1, "prices_include_tax": value},
                key=["id"],
                set_={"prices_include_tax": value},
            )
        )


class PromotionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, item: Promotion | GiftCard) -> None:
        self.session.add(item)

    async def by_code(self, code: str) -> Promotion | None:
        statement = select(Promotion).where(col(Promotion.code) == code)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def gift_card(self, code: str) -> GiftCard | None:
        return await self.session.get(GiftCard, code)

    async def listing(self, *, first: int, after_code: str | None) -> list[Promotion]:
        """Promotions by code (keyset pagination on the unique code)."""
        statement = select(Promotion).order_by(col(Promotion.code)).limit(first)
        if after_code is not None:
            statement = statement.where(col(Promotion.code) > after_code)
        return list((await self.session.execute(statement)).scalars())

    async def consume(self, promotion_id: str) -> bool:
        """Count one use if the total limit allows it (one conditional statement)."""
        result = await self.session.execute(
            update(Promotion)
            .where(
                col(Promotion.id) == promotion_id,
                or_(
                    col(Promotion.usage_limit).is_(None),
                    col(Promotion.used_count) < col(Promotion.usage_limit),
                ),
            )
            .values(used_count=col(Promotion.used_count) + 1)
        )
        return _rowcount(result) == 1

    async def free_slot(self, promotion_id: str, customer_key: str, limit: int) -> int | None:
        """The lowest per-customer slot (1…limit) not taken yet, or None when all are."""
        statement = select(col(PromotionUse.slot)).where(
            col(PromotionUse.promotion_id) == promotion_id,
            col(PromotionUse.customer_key) == customer_key,
            col(PromotionUse.slot).is_not(None),
        )
        taken = {s for s in (await self.session.execute(statement)).scalars() if s is not None}
        return next((slot for slot in range(1, limit + 1) if slot not in taken), None)

    def record_use(self, use: PromotionUse | GiftCardUse) -> None:
        self.session.add(use)

    async def give_back_promotion_uses(self, checkout_id: str) -> int:
        """Forget the checkout's promotion uses and count them off their promotions (each use
        once: only the statement that deleted a use row counts it off)."""
        uses = (
            await self.session.execute(
                select(PromotionUse).where(col(PromotionUse.checkout_id) == checkout_id)
            )
        ).scalars()
        given = 0
        for use in list(uses):
            deleted = await self.session.execute(
                delete(PromotionUse).where(col(PromotionUse.id) == use.id)
            )
            if _rowcount(deleted) != 1:
                continue
            await self.session.execute(
                update(Promotion)
                .where(col(Promotion.id) == use.promotion_id, col(Promotion.used_count) > 0)
                .values(used_count=col(Promotion.used_count) - 1)
            )
            given += 1
        return given

    async def credit_gift_card_uses(self, checkout_id: str) -> int:
        """Put what the checkout took off gift cards back on them (each use once)."""
        uses = (
            await self.session.execute(
                select(GiftCardUse).where(col(GiftCardUse.checkout_id) == checkout_id)
            )
        ).scalars()
        credited = 0
        for use in list(uses):
            deleted = await self.session.execute(
                delete(GiftCardUse).where(col(GiftCardUse.id) == use.id)
            )
            if _rowcount(deleted) != 1:
                continue
            await self.session.execute(
                update(GiftCard)
                .where(col(GiftCard.code) == use.code)
                .values(balance_minor=col(GiftCard.balance_minor) + use.amount_minor)
            )
            credited += use.amount_minor
        return credited

    async def debit_gift_card(self, code: str, amount_minor: int) -> bool:
        """Take ``amount_minor`` off the balance if it is there (one conditional statement)."""
        result = await self.session.execute(
            update(GiftCard)
            .where(col(GiftCard.code) == code, col(GiftCard.balance_minor) >= amount_minor)
            .values(balance_minor=col(GiftCard.balance_minor) - amount_minor)
        )
        return _rowcount(result) == 1


class ContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remember(self, values: dict[str, Any]) -> None:
        """Upsert a customer's contact; an older change arriving late changes nothing."""
        dialect = self.session.get_bind().dialect.name
        await self.session.execute(
            upsert(
                dialect,
                _contacts,
                values,
                key=["customer_id"],
                set_={k: v for k, v in values.items() if k != "customer_id"},
                where=_contacts.c.as_of <= values["as_of"],
            )
        )

    async def email_of(self, customer_id: str) -> str | None:
        found = await self.session.get(CustomerContact, customer_id)
        return None if found is None else found.email

    async def forget(self, customer_id: str) -> None:
        await self.session.execute(
            delete(CustomerContact).where(col(CustomerContact.customer_id) == customer_id)
        )


class CheckoutRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, checkout: Checkout) -> None:
        self.session.add(checkout)

    async def get(self, checkout_id: str) -> Checkout | None:
        return await self.session.get(Checkout, checkout_id)

    async def by_order(self, order_id: str) -> Checkout | None:
        statement = select(Checkout).where(col(Checkout.order_id) == order_id)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def of_customer(self, customer_id: str) -> list[Checkout]:
        statement = (
            select(Checkout)
            .where(col(Checkout.customer_id) == customer_id)
            .order_by(col(Checkout.completed_at))
        )
        return list((await self.session.execute(statement)).scalars())


class CartReader:
    """Everything needed to price carts, for many carts at once (sync session)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def carts(self, ids: Sequence[str]) -> dict[str, Cart]:
        statement = select(Cart).where(col(Cart.id).in_(list(ids)))
        return {c.id: c for c in self.session.execute(statement).scalars()}

    def active_cart_ids(self, customer_ids: Sequence[str]) -> dict[str, str]:
        statement = select(col(Cart.customer_id), col(Cart.id)).where(
            col(Cart.customer_id).in_(list(customer_ids)), col(Cart.status) == CartStatus.ACTIVE
        )
        return {str(cid): str(cart_id) for cid, cart_id in self.session.execute(statement).all()}

    def checkouts(self, ids: Sequence[str]) -> dict[str, Checkout]:
        statement = select(Checkout).where(col(Checkout.id).in_(list(ids)))
        return {c.id: c for c in self.session.execute(statement).scalars()}

    def contexts(self, ids: Sequence[str]) -> dict[str, CartContext]:
        carts = self.carts(ids)
        if not carts:
            return {}
        lines: dict[str, list[CartLine]] = defaultdict(list)
        statement = (
            select(CartLine)
            .where(col(CartLine.cart_id).in_(list(carts)))
            .order_by(col(CartLine.created_at), col(CartLine.id))
        )
        for line in self.session.execute(statement).scalars():
            lines[line.cart_id].append(line)
        variant_ids = {line.variant_id for group in lines.values() for line in group}
        variants = {
            v.variant_id: v
            for v in self.session.execute(
                select(CatalogVariant).where(col(CatalogVariant.variant_id).in_(variant_ids))
            ).scalars()
        }
        codes = {code for cart in carts.values() for code in cart.discount_codes}
        promotions = {
            p.code: p
            for p in self.session.execute(
                select(Promotion).where(col(Promotion.code).in_(codes))
            ).scalars()
        }
        keys = {k for cart in carts.values() if (k := cart.customer_key) is not None}
        uses: dict[tuple[str, str], int] = {}
        if promotions and keys:
            counted = (
                select(col(PromotionUse.promotion_id), col(PromotionUse.customer_key), func.count())
                .where(
                    col(PromotionUse.promotion_id).in_([p.id for p in promotions.values()]),
                    col(PromotionUse.customer_key).in_(keys),
                )
                .group_by(col(PromotionUse.promotion_id), col(PromotionUse.customer_key))
            )
            uses = {(str(p), str(k)): int(n) for p, k, n in self.session.execute(counted).all()}
        gift_codes = {code for cart in carts.values() for code in cart.gift_card_codes}
        gift_cards = {
            g.code: g
            for g in self.session.execute(
                select(GiftCard).where(col(GiftCard.code).in_(gift_codes))
            ).scalars()
        }
        zones = list(self.session.execute(select(ShippingZone)).scalars())
        methods = list(
            self.session.execute(
                select(ShippingMethod)
                .where(col(ShippingMethod.active).is_(True))
                .order_by(col(ShippingMethod.name), col(ShippingMethod.id))
            ).scalars()
        )
        rates = {
            (str(r.country), str(r.region)): Decimal(r.rate)
            for r in self.session.execute(select(_tax_rates)).all()
        }
        include = self.session.execute(
            select(_settings.c.prices_include_tax).where(_settings.c.id == 1)
        ).scalar_one_or_none()
        return {
            cart_id: CartContext(
                cart=cart,
                lines=lines.get(cart_id, []),
                variants=variants,
                promotions=promotions,
                promotion_uses={
                    pid: n for (pid, key), n in uses.items() if key == cart.customer_key
                },
                gift_cards=gift_cards,
                zones=zones,
                methods=methods,
                tax_rates=rates,
                prices_include_tax=bool(include),
            )
            for cart_id, cart in carts.items()
        }
