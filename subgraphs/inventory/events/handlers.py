"""What the inventory subgraph does with events: nothing yet (checkout calls it synchronously;
see README). Registered in ``HANDLERS`` like every subgraph's."""

from __future__ import annotations

from collections.abc import Mapping

from shared.consumer import EventHandler
from subgraphs.inventory.uow import InventoryUnitOfWork

HANDLERS: Mapping[str, EventHandler[InventoryUnitOfWork]] = {}
