"""The inventory domain: warehouses, stock per variant and warehouse, reservations, backorders."""
