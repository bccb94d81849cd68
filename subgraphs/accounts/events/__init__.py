"""What the accounts subgraph does with events (registered in ``handlers.HANDLERS``)."""
