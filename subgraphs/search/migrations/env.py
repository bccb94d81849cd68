"""Alembic environment of the search subgraph (run through `python -m subgraphs migrate`)."""

from shared.migrations import run_env
from subgraphs.search.domain.models import metadata

run_env(metadata)
