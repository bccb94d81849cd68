"""Alembic environment of the accounts subgraph (run through `python -m subgraphs migrate`)."""

from shared.migrations import run_env
from subgraphs.accounts.domain.models import metadata

run_env(metadata)
