"""Outside services of the accounts subgraph (mail) behind small interfaces."""
