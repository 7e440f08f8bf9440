"""The committed data.sqlite is exactly what `xref-explorer build` makes from resources/."""

from __future__ import annotations

import sqlite3

from models.db.library import head_revision
from models.db.schema import corpus_tables
from models.paths import EMBEDDED_CORPUS

FTS_TABLES = ("recommendation_fts", "remark_fts", "paragraph_fts")


def _dump(path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {}
        for table in [t.name for t in corpus_tables()]:
            tables[table] = connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
        for table in FTS_TABLES:
            tables[table] = connection.execute(f"SELECT rowid, text FROM {table} ORDER BY rowid").fetchall()
        tables["alembic_version"] = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        return tables
    finally:
        connection.close()


def test_committed_corpus_is_what_the_build_produces(built_corpus):
    committed, built = _dump(EMBEDDED_CORPUS), _dump(built_corpus)
    assert committed.keys() == built.keys()
    for table in built:
        assert committed[table] == built[table], f"data.sqlite is stale in table {table}: run `xref-explorer build`"


def test_committed_corpus_is_at_the_current_schema():
    assert _dump(EMBEDDED_CORPUS)["alembic_version"] == [(head_revision(),)]


def test_build_holds_the_shipped_report(built_corpus):
    tables = _dump(built_corpus)
    assert len(tables["document"]) == 1
    assert len(tables["recommendation"]) == 47 + 13
    assert len(tables["paragraph"]) == 57
    assert tables["remark"] and tables["link"] and tables["topic_tag"] and tables["mention"]


def test_committed_corpus_is_one_self_contained_file():
    """A rollback-journal file (header bytes 18 and 19 are 1), as the build leaves it: a library left
    in WAL mode needs its -wal file beside it, which a wheel or a bundle does not carry."""
    header = EMBEDDED_CORPUS.read_bytes()[:100]
    assert header[:16] == b"SQLite format 3\x00"
    assert (header[18], header[19]) == (1, 1)
