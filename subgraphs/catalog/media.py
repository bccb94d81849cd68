"""``GET /catalog/media/{path}``: stored image files, public, cached for a year.

Names are content-addressed (a file never changes under its name), so responses are
``immutable``. Only the image extensions the catalog writes are served; paths are resolved
inside the media directory by Starlette's StaticFiles (no ``..`` escapes).
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from subgraphs.catalog.adapters.storage import CACHE_CONTROL

SERVED = (".webp", ".jpg", ".png")


class MediaFiles(StaticFiles):
    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        super().__init__(directory=directory, check_dir=False)

    async def get_response(self, path: str, scope: Scope) -> Response:
        if not path.endswith(SERVED) or "/." in f"/{path}":
            return Response("Not Found", status_code=404)
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["cache-control"] = CACHE_CONTROL
            response.headers["x-content-type-options"] = "nosniff"
        return response
