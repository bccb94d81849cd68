"""Event handlers of the checkout subgraph (each runs once per event, through the inbox)."""
