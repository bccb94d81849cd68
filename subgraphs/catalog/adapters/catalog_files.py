"""Catalog files: products as CSV (one row a product; attributes and variants as JSON cells)
or JSON Lines (one object a line). Both carry the same record (see ``COLUMNS``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, TextIO

Format = Literal["csv", "jsonl"]
COLUMNS = (
    "name",
    "slug",
    "description",
    "status",
    "price",
    "currency",
    "compare_at_price",
    "category",
    "product_type",
    "vendor_id",
    "seo_title",
    "seo_description",
    "attributes",
    "variants",
)
JSON_COLUMNS = ("attributes", "variants")


class FileRowError(ValueError):
    """A line that is not a record (bad JSON); carries its field for the report."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def guess_format(path: Path) -> Format:
    return "jsonl" if path.suffix.lower() in {".jsonl", ".ndjson", ".json"} else "csv"


def read_records(
    handle: TextIO, fmt: Format
) -> Iterator[tuple[int, dict[str, Any] | FileRowError]]:
    """(row number, record or the error that kept the line from being one). CSV rows count
    from 2 (line 1 is the header); JSON Lines from 1; blank lines are skipped."""
    if fmt == "jsonl":
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, FileRowError(f"not JSON: {exc.msg}", "line")
                continue
            yield (
                number,
                value if isinstance(value, dict) else FileRowError("not an object", "line"),
            )
        return
    reader = csv.DictReader(handle)
    for number, row in enumerate(reader, start=2):
        record: dict[str, Any] = {k: v for k, v in row.items() if k is not None}
        error: FileRowError | None = None
        for column in JSON_COLUMNS:
            cell = (record.get(column) or "").strip()
            if not cell:
                record[column] = {} if column == "attributes" else []
                continue
            try:
                record[column] = json.loads(cell)
            except json.JSONDecodeError as exc:
                error = FileRowError(f"{column} is not JSON: {exc.msg}", column)
                break
        yield number, error if error is not None else record


def write_records(handle: TextIO, fmt: Format, records: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    if fmt == "jsonl":
        for record in records:
            handle.write(json.dumps({k: record.get(k) for k in COLUMNS}, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                k: json.dumps(record.get(k), ensure_ascii=False)
                if k in JSON_COLUMNS
                else ("" if record.get(k) is None else record.get(k))
                for k in COLUMNS
            }
        )
        count += 1
    return count
