"""GraphQL building blocks shared by every subgraph (Strawberry)."""
