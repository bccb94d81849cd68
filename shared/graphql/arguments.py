"""Mutation arguments every subgraph shares, with one description."""

from __future__ import annotations

from typing import Annotated

import strawberry

from shared.idempotency import MAX_KEY_LENGTH

IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(
        description=(
            "Makes retrying safe: a retry with the key and the same input returns the first "
            "result instead of doing the change again; the key with other input is refused "
            f"(IDEMPOTENCY_KEY_REUSED). 1 to {MAX_KEY_LENGTH} printable ASCII characters, "
            "e.g. a UUID, new for each new change; keys are scoped to the caller and mutation."
        )
    ),
]
