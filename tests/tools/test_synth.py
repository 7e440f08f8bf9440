"""The synthetic library behind the benchmarks: deterministic, well-formed, the expected size."""

from __future__ import annotations

import sqlite3

import pytest

from models.bench.synth import synthesize
from models.db.library import head_revision, open_library

TIMESTAMPS = {"created", "updated"}  # annotation actions stamp the clock; everything else is the seed's


def content(path) -> dict[str, list[tuple]]:
    """Every table's rows in id order, less timestamp columns and FTS shadow tables."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        result = {}
        for table in tables:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})") if row[1] not in TIMESTAMPS]
            listed = ", ".join(f'"{c}"' for c in columns)
            result[table] = connection.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}").fetchall()
        for fts in ("recommendation_fts", "remark_fts", "paragraph_fts"):
            result[fts] = connection.execute(f"SELECT rowid, text FROM {fts} ORDER BY rowid").fetchall()
        return result
    finally:
        connection.close()


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth")
    first = synthesize(folder / "a.sqlite", 3, seed=7)
    second = synthesize(folder / "b.sqlite", 3, seed=7)
    return first, second


def test_same_seed_gives_the_same_library(three):
    first, second = three
    assert content(first.path) == content(second.path)


def test_another_seed_gives_another_library(three, tmp_path):
    other = synthesize(tmp_path / "c.sqlite", 3, seed=8)
    assert content(other.path)["recommendation"] != content(three[0].path)["recommendation"]


def test_counts_and_integrity(three):
    stats = three[0]
    assert stats.reports == 3 and stats.counts["document"] == 3
    assert 3 * 40 <= stats.counts["recommendation"] <= 3 * 60  # ~50 a report, sub-items included
    for table in ("section", "paragraph", "remark", "link", "topic_tag", "mention", "participant"):
        assert stats.counts[table] > 0, table
    connection = sqlite3.connect(stats.path)
    try:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        keys = [key for (key,) in connection.execute("SELECT key FROM document")]
        assert len(set(keys)) == 3 and "working-group-on-firearms/2021-05-10" not in keys
        for table in ("recommendation", "remark", "paragraph"):
            rows = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert connection.execute(f"SELECT count(*) FROM {table}_fts").fetchone()[0] == rows
        per_document = connection.execute("SELECT count(*) FROM recommendation GROUP BY document_id").fetchall()
        assert all(35 <= n <= 65 for (n,) in per_document)
        assert connection.execute("SELECT count(*) FROM recommendation WHERE parent_id IS NOT NULL").fetchone()[0] > 0
        assert connection.execute("SELECT count(*) FROM user_collection_item").fetchone()[0] > 0
        assert connection.execute("SELECT count(*) FROM user_note").fetchone()[0] > 0
    finally:
        connection.close()


def test_a_synthetic_library_is_a_library_and_searchable(three):
    from models.db.fulltext import search

    library = open_library(three[0].path)
    try:
        with library.begin() as session:
            assert search(session, "firearms")
    finally:
        library.close()
    connection = sqlite3.connect(three[0].path)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    finally:
        connection.close()
