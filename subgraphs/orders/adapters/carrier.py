"""The Carrier port and its local simulator (the embedded default).

A carrier books a shipment and answers a tracking number and a tracking URL. The simulator is
deterministic (the tracking number derives from the fulfillment id), books instantly and never
fails; a real carrier adapter (DHL, UPS, EasyPost…) implements the same protocol.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Booking:
    carrier: str
    tracking_number: str
    tracking_url: str


class Carrier(Protocol):
    name: str

    async def book(self, *, fulfillment_id: str, order_number: str, country: str) -> Booking: ...


class SimulatedCarrier:
    name = "Agora Post (simulated)"

    def __init__(self, tracking_base: str = "https://track.agora.local/") -> None:
        self.tracking_base = tracking_base

    async def book(self, *, fulfillment_id: str, order_number: str, country: str) -> Booking:
        digest = hashlib.sha256(fulfillment_id.encode()).hexdigest()[:10].upper()
        number = f"AG{digest}{(country or 'XX')[:2].upper()}"
        return Booking(self.name, number, f"{self.tracking_base}{number}")
