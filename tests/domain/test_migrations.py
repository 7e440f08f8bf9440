"""Schema migrations: upgrading an older library (with a backup first), and the user tables matching the ORM."""

from __future__ import annotations

import sqlite3

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import Session

from models import annotations as a
from models.db.library import alembic_config, current_revision, head_revision, make_engine, open_library
from models.db.schema import USER_TABLE_PREFIX, Base
from tests.annotation_fixtures import DOC, R1, store


def _migrate(path, revision: str, *, down: bool = False) -> None:
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(cfg, revision)
    finally:
        engine.dispose()


def _dump(path, *, user: bool) -> dict[str, list[tuple]]:
    """Every row of the corpus (or user) tables, by table."""
    with sqlite3.connect(path) as connection:
        names = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            if row[0].startswith(USER_TABLE_PREFIX) == user and not row[0].startswith(("sqlite_", "alembic"))
        ]
        dump = {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
    connection.close()
    return dump


def _library_at_0001(path) -> None:
    """A library as revision 0001 left it: stored at head, then migrated down (dropping what came later)."""
    _migrate(path, "head")
    engine = make_engine(path)
    try:
        with Session(engine) as session, session.begin():
            store(session)
    finally:
        engine.dispose()
    _migrate(path, "0001", down=True)


def _columns(path, table: str) -> list[str]:
    with sqlite3.connect(path) as connection:
        names = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
    connection.close()
    return names


def test_an_old_library_is_backed_up_then_upgraded_with_its_corpus_intact(tmp_path):
    path = tmp_path / "library.sqlite"
    _library_at_0001(path)
    corpus = _dump(path, user=False)
    assert corpus["recommendation"] and corpus["paragraph"]
    old_bytes = path.read_bytes()

    library = open_library(path)
    try:
        assert current_revision(library.engine) == head_revision()
        backup = tmp_path / f"library.sqlite.before-{head_revision()}.bak"
        assert backup.read_bytes() == old_bytes
        with sqlite3.connect(backup) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        connection.close()
        assert _dump(backup, user=True) == {}
        with library.begin() as s:
            assert [(n.name, n.count) for n in a.collection_tree(s)] == [("Briefing", 0)]
            a.add_to_collection(s, a.briefing_collection_id(s), [R1])
            a.set_note(s, R1, "after the upgrade")
    finally:
        library.close()
    upgraded = _dump(path, user=False)
    old_columns = _columns(backup, "recommendation")
    new_columns = _columns(path, "recommendation")
    keep = [new_columns.index(name) for name in old_columns]  # later revisions add columns
    upgraded["recommendation"] = sorted((tuple(row[i] for i in keep) for row in upgraded["recommendation"]), key=repr)
    # later revisions add derived tables (0004_overview: overview_fact, checked in test_overview_facts)
    assert set(upgraded) - set(corpus) == {"overview_fact"}
    assert {name: rows for name, rows in upgraded.items() if name in corpus} == corpus
    with sqlite3.connect(path) as connection:  # 0003 stored the counts of the links behind recommendation 1
        assert (
            connection.execute("SELECT shown_remarks FROM recommendation WHERE number = '1'").fetchone()[0]
            == connection.execute(
                "SELECT count(DISTINCT l.remark_id) FROM link l JOIN recommendation r ON r.id = l.recommendation_id "
                "JOIN remark m ON m.id = l.remark_id WHERE r.number = '1' AND l.shown AND m.speaker_kind != 'text'"
            ).fetchone()[0]
        )
    connection.close()

    library = open_library(path)  # already at head: no second backup, nothing changes
    try:
        assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".bak") == [backup.name]
        with library.begin() as s:
            assert a.recommendation_annotations(s, (DOC, "1")).collections[0].path == "Briefing"
    finally:
        library.close()


def test_downgrade_removes_the_user_tables_and_upgrade_brings_briefing_back(tmp_path):
    path = tmp_path / "library.sqlite"
    open_library(path).close()
    assert set(_dump(path, user=True)) == {t for t in Base.metadata.tables if t.startswith(USER_TABLE_PREFIX)}
    _migrate(path, "0001", down=True)
    assert _dump(path, user=True) == {}
    _migrate(path, "head")
    assert [row[1] for row in _dump(path, user=True)["user_collection"]] == ["Briefing"]


def test_the_migrations_create_the_user_tables_the_orm_declares(tmp_path):
    path = tmp_path / "library.sqlite"
    open_library(path).close()
    engine = make_engine(path)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, kind, parent: kind != "table" or name.startswith(USER_TABLE_PREFIX),
                    "include_object": lambda obj, name, kind, reflected, other: (
                        kind != "table" or name.startswith(USER_TABLE_PREFIX)
                    ),
                },
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
