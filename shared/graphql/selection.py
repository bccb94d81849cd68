"""Looking at what the client selected, to skip work nobody asked for (e.g. counting rows)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


def _fields(selections: Iterable[Selection], name: str) -> Iterator[SelectedField]:
    """Fields called ``name`` among ``selections``, looking through fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == name:
                yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from _fields(selection.selections, name)


def selects(info: Info[Any, Any], *path: str) -> bool:
    """Whether the current field's selection asks for ``path`` (e.g. ``"totalCount"`` or
    ``"edges", "node", "variants"``), through fragments too."""
    level: list[Selection] = list(info.selected_fields)
    for name in path:
        level = [s for field in level if isinstance(field, SelectedField) for s in field.selections]
        matches = list(_fields(level, name))
        if not matches:
            return False
        level = list(matches)
    return True
