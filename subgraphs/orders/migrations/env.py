"""Alembic environment of the orders subgraph (run through `python -m subgraphs migrate`)."""

from shared.migrations import run_env
from subgraphs.orders.domain.models import metadata

run_env(metadata)
