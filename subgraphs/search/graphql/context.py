"""What search resolvers see on ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass

from shared.graphql.context import RequestContext
from subgraphs.search.adapters.engine import SearchEngine
from subgraphs.search.services.category_labels import CategoryLabels


@dataclass
class SearchContext(RequestContext):
    engine: SearchEngine | None = None
    labels: CategoryLabels | None = None

    def category_labels(self) -> CategoryLabels:
        assert self.labels is not None
        return self.labels

    def search_engine(self) -> SearchEngine:
        assert self.engine is not None
        return self.engine
