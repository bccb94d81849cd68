"""Event handlers of the inventory subgraph (each runs once per event, through the inbox)."""
