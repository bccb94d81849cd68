"""What search resolvers see on ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass

from shared.graphql.context import RequestContext
from subgraphs.search.adapters.engine import SearchEngine


@dataclass
class SearchContext(RequestContext):
    engine: SearchEngine | None = None

    def search_engine(self) -> SearchEngine:
        assert self.engine is not None
        return self.engine
