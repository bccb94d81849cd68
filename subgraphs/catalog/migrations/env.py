"""Alembic environment of the catalog subgraph (run through `python -m subgraphs migrate`)."""

from shared.migrations import run_env
from subgraphs.catalog.domain.models import metadata

run_env(metadata)
