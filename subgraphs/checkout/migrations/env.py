"""Alembic environment of the checkout subgraph (run through `python -m subgraphs migrate`)."""

from shared.migrations import run_env
from subgraphs.checkout.domain.models import metadata

run_env(metadata)
