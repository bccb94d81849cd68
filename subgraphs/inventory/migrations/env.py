"""Alembic environment of the inventory subgraph (run through `python -m subgraphs migrate`)."""

from shared.migrations import run_env
from subgraphs.inventory.domain.models import metadata

run_env(metadata)
