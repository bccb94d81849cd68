"""Fixtures of the reviews tests: the reviews subgraph and the catalog beside it on one
in-process bus (reviews learn products from the catalog's events), units of work, a client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial

import pytest

from shared.app import SubgraphApp
from subgraphs.catalog.uow import CatalogUnitOfWork
from subgraphs.reviews.uow import ReviewsUnitOfWork
from tests.catalog.support import CatalogUow
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient
from tests.reviews.support import ReviewsUow


@pytest.fixture
async def catalog(make_subgraph: SubgraphFactory) -> SubgraphApp:
    return await make_subgraph("catalog")


@pytest.fixture
async def reviews(make_subgraph: SubgraphFactory, catalog: SubgraphApp) -> SubgraphApp:
    return await make_subgraph("reviews")


@pytest.fixture
def catalog_uow(catalog: SubgraphApp) -> CatalogUow:
    return partial(catalog.infra.unit_of_work, CatalogUnitOfWork)


@pytest.fixture
def reviews_uow(reviews: SubgraphApp) -> ReviewsUow:
    return partial(reviews.infra.unit_of_work, ReviewsUnitOfWork)


@pytest.fixture
async def client(reviews: SubgraphApp) -> AsyncIterator[SubgraphClient]:
    client = SubgraphClient(reviews)
    yield client
    await client.aclose()
