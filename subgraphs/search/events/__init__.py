"""Events the search subgraph consumes (catalog, inventory, reviews)."""
