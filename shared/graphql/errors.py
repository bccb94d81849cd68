"""Errors clients may see, and the masking of every other error.

A resolver raises ``PublicError`` (or a subclass) for an error the client must read — not
authenticated, forbidden, bad pagination arguments. Anything else is a bug: the client gets
"Unexpected error." with the request id, and the log gets the traceback with the trace id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from shared.auth import PermissionDenied

log = logging.getLogger("agora.graphql")


class PublicError(Exception):
    """An error whose message and code are safe to show to the client."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.field = field

    @property
    def extensions(self) -> dict[str, Any]:
        extensions: dict[str, Any] = {"code": self.code}
        if self.field is not None:
            extensions["field"] = self.field
        return extensions


class NotAuthenticated(PublicError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "You must be signed in to do this.") -> None:
        super().__init__(message)


class Forbidden(PublicError):
    code = "FORBIDDEN"

    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__(message)


def is_public(error: GraphQLError) -> bool:
    """Validation and parse errors have no original error; PublicErrors are meant for clients."""
    original = error.original_error
    return original is None or isinstance(original, PublicError | PermissionDenied)


class ErrorMasking(SchemaExtension):
    """Replaces non-public errors by a generic message; logs them with their traceback."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is None or not errors:
            return
        masked: list[GraphQLError] = []
        for error in errors:
            original = error.original_error
            if isinstance(original, PermissionDenied):
                original = Forbidden(str(original))
            if isinstance(original, PublicError):
                masked.append(
                    GraphQLError(
                        error.message,
                        nodes=error.nodes,
                        source=error.source,
                        positions=error.positions,
                        path=error.path,
                        extensions={**(error.extensions or {}), **original.extensions},
                    )
                )
            elif original is None:
                masked.append(error)
            else:
                log.error(
                    "unexpected error in resolver",
                    exc_info=(type(original), original, original.__traceback__),
                    extra={"path": error.path},
                )
                masked.append(
                    GraphQLError(
                        "Unexpected error.",
                        nodes=error.nodes,
                        source=error.source,
                        positions=error.positions,
                        path=error.path,
                        extensions={"code": "INTERNAL_SERVER_ERROR"},
                    )
                )
        result.errors = masked
