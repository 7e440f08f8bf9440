"""A long import holds the write lock only for its final write: notes stored while it runs wait far less
than the import takes.

The import (a real command-line process) brings the shipped report into a synthetic library of 500
reports, so that what only reads the library (cross-referencing, finding recurring recommendations
among 25,000 others) takes seconds. Meanwhile the test stores a note again and again through the
domain function the window uses, in its own write transaction each time, and keeps the longest wait.
Before the import was split, a note waited for the whole cross-referencing (several seconds here).
"""

from __future__ import annotations

import sqlite3
import time

import pytest

from models import annotations as a
from models.bench.synth import synthesize
from models.db.library import open_library
from tests.reliability.conftest import REPORT, start_cli

pytestmark = pytest.mark.slow

SHIPPED_KEY = "working-group-on-firearms/2021-05-10"


@pytest.fixture(scope="module")
def large_library(tmp_path_factory):
    return synthesize(tmp_path_factory.mktemp("synth") / "five-hundred.sqlite", 500, seed=5).path


def test_a_note_stored_during_a_long_import_waits_only_for_its_final_write(large_library):
    connection = sqlite3.connect(large_library)
    (first,) = connection.execute("SELECT key FROM document ORDER BY id LIMIT 1").fetchone()
    connection.close()
    key = (first, "1")
    library = open_library(large_library)
    try:
        waits: list[float] = []
        began = time.perf_counter()
        importing = start_cli("--db", large_library, "import", REPORT)
        while importing.poll() is None:
            asked = time.perf_counter()
            with library.write() as session:
                a.set_note(session, key, f"Note {len(waits)}")
            waits.append(time.perf_counter() - asked)
            time.sleep(0.02)
        took = time.perf_counter() - began
        out, err = importing.communicate(timeout=60)
    finally:
        library.close()
    assert importing.returncode == 0, err
    assert f"Imported {REPORT.name}" in out
    longest = max(waits)
    print(f"import {took:.2f} s, {len(waits)} notes stored meanwhile, the longest waited {longest:.3f} s")
    assert len(waits) > 10
    assert longest < took / 4 and longest < 2.0, (longest, took)
    connection = sqlite3.connect(large_library)
    try:
        assert connection.execute("SELECT count(*) FROM document WHERE key = ?", (SHIPPED_KEY,)).fetchone() == (1,)
        assert connection.execute("SELECT text FROM user_note WHERE number = '1' AND document_key = ?", key[:1]).fetchone() == (
            f"Note {len(waits) - 1}",
        )
    finally:
        connection.close()
