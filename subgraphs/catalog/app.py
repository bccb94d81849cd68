"""The catalog subgraph: products, variants, categories."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from starlette.requests import Request
from starlette.routing import Mount
from starlette.websockets import WebSocket

from shared.app import SubgraphApp
from shared.bus.base import EventBus
from shared.graphql.context import request_fields
from shared.settings import Settings
from shared.wiring import SubgraphInfra
from subgraphs.catalog.adapters.storage import (
    ImageStorage,
    LocalImageStorage,
    S3ImageStorage,
    s3_client,
)
from subgraphs.catalog.domain.models import messaging, metadata
from subgraphs.catalog.graphql.context import CatalogContext
from subgraphs.catalog.graphql.schema import create_schema
from subgraphs.catalog.media import MediaFiles
from subgraphs.catalog.settings import CatalogSettings, load_catalog_settings
from subgraphs.catalog.uow import CatalogUnitOfWork

NAME = "catalog"


def create_subgraph(settings: Settings, bus: EventBus) -> SubgraphApp:
    infra = SubgraphInfra.build(
        NAME,
        settings,
        bus,
        tables=messaging,
        metadata=metadata,
        migrations=Path(__file__).parent / "migrations",
    )

    uow = partial(infra.unit_of_work, CatalogUnitOfWork)
    catalog_settings = load_catalog_settings(settings)
    storage = create_storage(catalog_settings)

    async def context(request: Request | WebSocket) -> CatalogContext:
        return CatalogContext(
            **request_fields(request, settings, infra.database),
            database=infra.database,
            uow=uow,
            storage=storage,
            catalog_settings=catalog_settings,
        )

    routes = []
    if isinstance(storage, LocalImageStorage):
        routes.append(Mount("/media", MediaFiles(catalog_settings.media_dir)))
    return SubgraphApp(
        schema=create_schema(settings),
        context_getter=context,
        infra=infra,
        multipart_uploads=True,
        # An upload at the size limit plus the multipart envelope (operations, map, boundaries).
        max_body_bytes=catalog_settings.max_upload_bytes + 64 * 1024,
        routes=routes,
    )


def create_storage(settings: CatalogSettings) -> ImageStorage:
    """S3 when ``AGORA_S3_BUCKET`` is set, else a directory under the data directory."""
    if settings.s3_bucket:
        client = s3_client(
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
        )
        return S3ImageStorage(client, settings.s3_bucket, settings.media_url)
    return LocalImageStorage(settings.media_dir, settings.media_url)
