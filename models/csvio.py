"""CSV writing and reading shared by every export and by the annotation merge.

Cells a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
carriage return) are written with a leading apostrophe; `unguard` reverses it
so that what was typed comes back exactly.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import IO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CsvFormatError(ValueError):
    """A CSV file that cannot be read as rows of its header; the message names the line."""


def guard(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) or (text.startswith("'") and text[1:].startswith(FORMULA_STARTS + ("'",))):
        return "'" + text
    return text


def unguard(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS + ("'",)):
        return text[1:]
    return text


def write_csv(
    rows: Iterable[Mapping[str, object]], columns: Sequence[str], stream: IO[str], *, bom: bool = False
) -> int:
    """Write ``rows`` (dicts keyed by ``columns``) with a header row; return the number of rows."""
    if bom:
        stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([guard(row.get(column)) for column in columns])
        count += 1
    return count


def read_csv(stream: IO[str]) -> list[dict[str, str]]:
    """Rows of a CSV written by `write_csv` (BOM and guards removed)."""
    text = stream.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.DictReader(text.splitlines(keepends=True))
    rows = []
    for row in reader:
        if None in row:  # DictReader files surplus cells under the key None
            raise CsvFormatError(f"line {reader.line_num}: more cells than the header has columns")
        rows.append({key: unguard(value or "") for key, value in row.items()})
    return rows
