"""Event handlers of the reviews subgraph (each runs once per event, through the inbox)."""
