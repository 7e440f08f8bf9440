"""CSV writing and reading shared by every export and by the annotation merge.

Cells a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
carriage return) are written with a leading apostrophe; `unguard` reverses it
so that what was typed comes back exactly.
"""

from __future__ import annotations

import codecs
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


def write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str], stream: IO[str], *, bom: bool = False) -> int:
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


DELIMITERS = (",", ";", "\t")  # Excel writes ";" where the decimal comma is in use, and tabs for "Unicode text"
MAX_CELL = 64 * 2**20  # a note may be long; the csv module's default limit is 128 KB


def decode_csv(data: bytes) -> str:
    """The text of a CSV file as spreadsheets save it: UTF-8 with or without a BOM, UTF-16 with a
    BOM ("Unicode text"), else Windows-1252 (Excel's "CSV" on Western Windows)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV file: the one of `DELIMITERS` its header line holds most often (comma on a tie)."""
    header = text.split("\n", 1)[0]
    return max(DELIMITERS, key=lambda d: (header.count(d), d == ","))


def read_csv(stream: IO[str]) -> list[dict[str, str]]:
    """Rows of a CSV written by `write_csv` or saved again by a spreadsheet (BOM and guards removed;
    comma, semicolon or tab separated; cells of any length up to `MAX_CELL`)."""
    return read_csv_table(stream)[1]


def read_csv_table(stream: IO[str]) -> tuple[list[str], list[dict[str, str]]]:
    """The header's columns ([] for an empty file) and the rows, as `read_csv` reads them: a file
    with a header and no rows still says what it holds."""
    text = stream.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    if csv.field_size_limit() < MAX_CELL:
        csv.field_size_limit(MAX_CELL)
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=sniff_delimiter(text))
    rows = []
    try:
        columns = list(reader.fieldnames or ())
        for row in reader:
            if None in row:  # DictReader files surplus cells under the key None
                raise CsvFormatError(f"line {reader.line_num}: more cells than the header has columns")
            rows.append({key: unguard(value or "") for key, value in row.items()})
    except csv.Error as error:
        raise CsvFormatError(f"line {reader.line_num}: {error}") from error
    return columns, rows
