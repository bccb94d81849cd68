"""Building a subgraph's Strawberry federation schema with the extensions every subgraph needs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from shared.graphql.errors import ErrorMasking
from shared.settings import Settings

ExtensionFactory = type[SchemaExtension] | Callable[[], SchemaExtension]
CACHE_SIZE = 1024
FEDERATION_VERSION = "2.9"  # what @theguild/federation-composition understands (ARCHITECTURE.md)


class SubgraphSchema(strawberry.federation.Schema):
    """Strawberry's federation schema without its default error logging: ``ErrorMasking`` logs
    unexpected errors once, with the trace id; expected ones (auth, bad input) are not errors
    of the server and are not logged at ERROR."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def build_schema(
    *,
    settings: Settings,
    query: type[Any],
    mutation: type[Any] | None = None,
    subscription: type[Any] | None = None,
    types: Sequence[type[Any]] = (),
    extra_extensions: Sequence[ExtensionFactory] = (),
) -> strawberry.federation.Schema:
    """A federation v2.9 schema with parse/validation caches, limits and error masking.

    Extensions are factories (a fresh instance per request); the parse and validation caches
    are process-wide LRU caches shared by those instances.
    """
    # The limit rules are built once: the validation cache keys on the rule classes, so rules
    # created per request would make every request a cache miss.
    limit_rules = [
        *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
    ]
    extensions: list[ExtensionFactory] = [
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: AddValidationRules(limit_rules),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        ErrorMasking,
        *extra_extensions,
    ]
    return SubgraphSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=list(types),
        extensions=extensions,
        federation_version=FEDERATION_VERSION,  # type: ignore[arg-type]
        config=StrawberryConfig(auto_camel_case=True),
    )
