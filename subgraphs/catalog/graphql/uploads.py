"""Closing the files of a multipart request once its operation ends.

Strawberry parses multipart bodies into Starlette ``UploadFile`` s (spooled temporary files) and
never closes them; a mutation refused before its resolver runs (no permission) would leave them
open until garbage collection. This extension closes every uploaded file in the variables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.datastructures import UploadFile
from strawberry.extensions import SchemaExtension


def _uploads(value: Any) -> Iterator[UploadFile]:
    if isinstance(value, UploadFile):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _uploads(item)
    elif isinstance(value, list):
        for item in value:
            yield from _uploads(item)


class CloseUploads(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        try:
            yield
        finally:
            for upload in _uploads(self.execution_context.variables or {}):
                upload.file.close()
