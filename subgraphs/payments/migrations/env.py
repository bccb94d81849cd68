"""Alembic environment of the payments subgraph (run through `python -m subgraphs migrate`)."""

from shared.migrations import run_env
from subgraphs.payments.domain.models import metadata

run_env(metadata)
