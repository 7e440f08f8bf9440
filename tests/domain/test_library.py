"""Opening libraries: new, existing, and files that must be refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time

import pytest
from sqlalchemy import text

from models.db.library import LibraryError, ReadCancel, ReadCancelled, current_revision, head_revision, open_library


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_path_becomes_empty_library(tmp_path):
    path = tmp_path / "lib.sqlite"  # in a folder that exists: a missing one is refused (tests/reliability)
    library = open_library(path)
    try:
        assert path.exists()
        assert current_revision(library.engine) == head_revision()
        with library.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM document").scalar() == 0
    finally:
        library.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Report on the meeting of the Working Group on Firearms\n", "not an SQLite database"),
        (b"", "not an SQLite database"),
        (b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 200, "damaged"),
    ],
)
def test_bad_files_are_refused_and_left_untouched(tmp_path, content, message):
    path = tmp_path / "lib.sqlite"
    path.write_bytes(content)
    before = _digest(path)
    with pytest.raises(LibraryError, match=message):
        open_library(path)
    assert _digest(path) == before


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
    before = _digest(path)
    with pytest.raises(LibraryError, match="not an Xref Explorer library"):
        open_library(path)
    assert _digest(path) == before


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "lib.sqlite"
    open_library(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.close()
    before = _digest(path)
    with pytest.raises(LibraryError, match="newer version"):
        open_library(path)
    assert _digest(path) == before


def test_default_library_is_seeded_from_the_embedded_corpus(tmp_path, monkeypatch):
    monkeypatch.setattr("models.db.library.default_library_path", lambda: tmp_path / "user" / "library.sqlite")
    library = open_library(None)
    try:
        assert library.path == tmp_path / "user" / "library.sqlite"
        with library.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM document").scalar() == 1
    finally:
        library.close()


def test_folder_is_refused(tmp_path):
    with pytest.raises(LibraryError, match="folder"):
        open_library(tmp_path)


def test_csv_with_surplus_cells_names_the_line():
    import io

    from models.csvio import CsvFormatError, read_csv

    with pytest.raises(CsvFormatError, match="line 3"):
        read_csv(io.StringIO("a,b\r\n1,2\r\n1,2,3\r\n"))


def test_a_cancelled_read_stops_at_once_and_the_library_goes_on(tmp_path):
    library = open_library(tmp_path / "library.sqlite")
    cancel, started, outcome = ReadCancel(), threading.Event(), []

    def endless_read() -> None:
        try:
            with library.begin(cancel) as session:
                started.set()
                session.execute(
                    text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
                ).scalar()
        except ReadCancelled:
            outcome.append("cancelled")

    reader = threading.Thread(target=endless_read, daemon=True)
    reader.start()
    assert started.wait(10)
    deadline = time.monotonic() + 10
    while reader.is_alive() and time.monotonic() < deadline:
        cancel.cancel()  # again, in case the statement had not started at the first call
        reader.join(0.1)
    assert not reader.is_alive() and outcome == ["cancelled"]
    with pytest.raises(ReadCancelled), library.begin(cancel):  # a read opened with a cancelled token does not start
        pass
    with library.begin() as session:
        assert session.execute(text("SELECT count(*) FROM recommendation")).scalar() == 0
    library.close()


def test_errors_of_a_read_that_was_not_cancelled_are_its_own(tmp_path):
    library = open_library(tmp_path / "library.sqlite")
    with pytest.raises(ValueError, match="not about cancelling"), library.begin(ReadCancel()):
        raise ValueError("not about cancelling")
    library.close()
