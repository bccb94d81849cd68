"""Alembic environment of the reviews subgraph (run through `python -m subgraphs migrate`)."""

from shared.migrations import run_env
from subgraphs.reviews.domain.models import metadata

run_env(metadata)
