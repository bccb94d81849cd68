"""Outside services the checkout subgraph calls, each behind a Protocol."""
