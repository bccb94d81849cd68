"""The checkout subgraph GraphQL layer."""
