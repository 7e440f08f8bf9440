"""Merging a colleague's annotations after a spreadsheet saved them again."""

from __future__ import annotations

import sqlite3

import pytest

from tests.reliability.conftest import cli, digest, one_line_error

DOC = "working-group-on-firearms/2021-05-10"
HEADER = ["document", "recommendation", "kind", "value", "collection", "tag", "note", "position", "updated"]


def _rows(note: str) -> list[list[str]]:
    return [
        HEADER,
        [DOC, "18", "note", "", "", "", note, "", "2026-01-02T10:00:00Z"],
        [DOC, "3", "position", "", "", "", "", "support", "2026-01-02T10:00:00Z"],
        [DOC, "5", "collection_item", "0", "Délégation; priorités", "", "", "", "2026-01-02T10:00:00Z"],
    ]


def _write(path, rows, *, delimiter: str, encoding: str, bom: bool = False) -> None:
    def cell(value: str) -> str:
        return f'"{value}"' if any(c in value for c in (delimiter, '"', "\n")) else value

    text = "\r\n".join(delimiter.join(cell(v) for v in row) for row in rows) + "\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))


def _stored(path) -> tuple[str | None, str | None, list[str]]:
    connection = sqlite3.connect(path)
    try:
        note = connection.execute("SELECT text FROM user_note WHERE number='18'").fetchone()
        position = connection.execute("SELECT position FROM user_position WHERE number='3'").fetchone()
        collections = [r[0] for r in connection.execute("SELECT name FROM user_collection")]
        return (note[0] if note else None, position[0] if position else None, collections)
    finally:
        connection.close()


SAVED_BY = {
    "UTF-8 with a BOM, commas": {"delimiter": ",", "encoding": "utf-8", "bom": True},
    "UTF-8 without a BOM, commas": {"delimiter": ",", "encoding": "utf-8"},
    "Windows-1252, semicolons (Excel, decimal comma)": {"delimiter": ";", "encoding": "cp1252"},
    "Windows-1252, commas": {"delimiter": ",", "encoding": "cp1252"},
    "UTF-16, tabs (Excel's Unicode text)": {"delimiter": "\t", "encoding": "utf-16"},
}


@pytest.mark.parametrize("saved_by", sorted(SAVED_BY))
def test_merge_reads_what_spreadsheets_save(saved_by, library_copy, tmp_path):
    path = tmp_path / "colleague.csv"
    _write(path, _rows("Vérifier avec la capitale – “urgent”"), **SAVED_BY[saved_by])
    run = cli("--db", library_copy, "merge", path)
    assert run.returncode == 0, run.stderr
    assert "3 added" in run.stdout
    note, position, collections = _stored(library_copy)
    assert note == "Vérifier avec la capitale – “urgent”" and position == "support"
    assert "Délégation; priorités" in collections


def test_a_note_longer_than_the_csv_module_allows_is_merged(library_copy, tmp_path):
    long_note = ("A long analysis of recommendation 18. " * 6000)[:200_000]  # over the csv module's 128 KB
    path = tmp_path / "long.csv"
    _write(path, _rows(long_note), delimiter=",", encoding="utf-8", bom=True)
    run = cli("--db", library_copy, "merge", path)
    assert run.returncode == 0, run.stderr
    assert _stored(library_copy)[0] == long_note


def test_rows_for_recommendations_not_in_the_library_are_listed_not_added(library_copy, tmp_path):
    rows = _rows("Known") + [
        ["working-group-on-firearms/2030-01-01", "1", "note", "", "", "", "Elsewhere", "", "2026-01-02T10:00:00Z"],
        [DOC, "99", "position", "", "", "", "", "oppose", "2026-01-02T10:00:00Z"],
    ]
    path = tmp_path / "colleague.csv"
    _write(path, rows, delimiter=",", encoding="utf-8")
    run = cli("--db", library_copy, "merge", path)
    assert run.returncode == 0, run.stderr
    assert "3 added" in run.stdout and "2 rows for recommendations not in this library" in run.stdout
    assert "Line 5: the report working-group-on-firearms/2030-01-01 is not in this library" in run.stdout
    assert f"Line 6: {DOC} has no recommendation 99" in run.stdout
    connection = sqlite3.connect(library_copy)
    try:
        assert connection.execute("SELECT count(*) FROM user_note WHERE text='Elsewhere'").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM user_position WHERE number='99'").fetchone()[0] == 0
    finally:
        connection.close()


def test_a_file_that_is_not_an_annotations_file_says_what_its_header_reads(library_copy, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name;amount\r\nx;1\r\n", encoding="cp1252")
    before = digest(library_copy)
    error = one_line_error(cli("--db", library_copy, "merge", path))
    assert "missing columns" in error and "its header reads: name, amount" in error
    assert digest(library_copy) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty: it is not an annotations file. Nothing was merged."),
        (b"\xef\xbb\xbf\r\n", "The file is empty: it is not an annotations file. Nothing was merged."),
        (b"name;amount\r\n", "missing columns: document, recommendation, kind, "),
    ],
    ids=["empty", "a BOM and a blank line", "another file's header alone"],
)
def test_a_file_without_annotation_rows_or_header_is_refused_not_merged(library_copy, tmp_path, content, message):
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    before = digest(library_copy)
    error = one_line_error(cli("--db", library_copy, "merge", path))
    assert message in error and len(error.strip().splitlines()) == 1
    assert digest(library_copy) == before


def test_an_export_with_no_annotations_merges_nothing_without_complaint(library_copy, tmp_path):
    path = tmp_path / "nothing.csv"
    path.write_text(",".join(HEADER) + "\r\n", encoding="utf-8-sig")
    run = cli("--db", library_copy, "merge", path)
    assert run.returncode == 0, run.stderr
    assert "0 added, 0 already there, 0 conflicts" in run.stdout
