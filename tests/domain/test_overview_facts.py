"""The Overview's stored facts (`overview_fact`) against the raw tables they are derived from.

The reference here walks the links, remarks, participants and topic tags in plain Python and
counts the Overview's cells itself, never through `models.queries.overview` or the derived
table: on the shipped report, on a synthetic library of 3 reports, after an import and a
replace, and after the migration's backfill.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest
from alembic import command

from models.bench.synth import synthesize
from models.build.importing import import_reports
from models.db.library import alembic_config, make_engine, open_library
from models.paths import EMBEDDED_CORPUS
from models.queries.overview import count, load_facts
from tests import report_variants

FACT_COLUMNS = "recommendation_id, topic_id, remark_id, group_name, state"


def stored_facts(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        rows = sorted(connection.execute(f"SELECT {FACT_COLUMNS} FROM overview_fact").fetchall(), key=repr)
    connection.close()
    return rows


class Reference:
    """What the Overview counts, read from the raw tables row by row."""

    def __init__(self, path: Path) -> None:
        with sqlite3.connect(path) as c:
            parent = dict(c.execute("SELECT id, coalesce(parent_id, id) FROM recommendation"))
            self.section = dict(c.execute("SELECT id, section_id FROM recommendation WHERE parent_id IS NULL"))
            label = dict(c.execute("SELECT id, label FROM section"))
            topic_key = dict(c.execute("SELECT id, key FROM topic"))
            participants = {
                pid: (group, state) for pid, group, state in c.execute("SELECT id, group_name, state FROM participant")
            }
            speaker = {}
            rows = c.execute("SELECT id, participant_id, on_behalf_of, speaker_kind FROM remark")
            for remark_id, participant_id, on_behalf_of, kind in rows:
                group, state = participants.get(participant_id, (None, None))
                attributed = (participant_id is not None or bool(on_behalf_of)) and kind != "chair"  # the meeting's voice
                speaker[remark_id] = (group, state or on_behalf_of, attributed)
            self.topics: dict[int, set[int]] = defaultdict(set)
            for rec_id, topic_id in c.execute(
                "SELECT recommendation_id, topic_id FROM topic_tag WHERE recommendation_id IS NOT NULL"
            ):
                self.topics[parent[rec_id]].add(topic_id)
            self.behind: dict[int, set[tuple]] = defaultdict(set)
            for rec_id, remark_id, shown in c.execute("SELECT recommendation_id, remark_id, shown FROM link"):
                group, state, attributed = speaker[remark_id]
                if shown and attributed and (group is not None or state is not None):
                    self.behind[parent[rec_id]].add((remark_id, group, state))
        c.close()
        self.topic_key, self.label = topic_key, label

    def facts(self) -> list[tuple]:
        rows = [(rec, topic, None, None, None) for rec, found in self.topics.items() for topic in found]
        rows += [(rec, None, remark, group, state) for rec, found in self.behind.items() for remark, group, state in found]
        return sorted(rows, key=repr)

    def cells(self, scope: set[int], kind: str) -> dict[tuple[str, str], tuple[int, int]]:
        """(topic key, column) -> (distinct remarks, recommendations) for ``kind`` groups, states or sections."""
        remarks, recommendations = defaultdict(set), defaultdict(set)
        for rec in scope:
            for topic in self.topics.get(rec, ()):
                key = self.topic_key[topic]
                if kind == "sections":
                    recommendations[(key, self.label[self.section[rec]])].add(rec)
                    continue
                for remark, group, state in self.behind.get(rec, ()):
                    column = group if kind == "groups" else state
                    if column is not None:
                        remarks[(key, column)].add(remark)
                        recommendations[(key, column)].add(rec)
        return {cell: (len(remarks[cell]), len(recs)) for cell, recs in recommendations.items()}


def counted(overview, kind: str) -> dict[tuple[str, str], tuple[int, int]]:
    matrix = getattr(overview, kind)
    return {(cell.row, cell.column): (cell.remarks, cell.recommendations) for cell in matrix.cells}


def check_in_step(path: Path) -> None:
    """The stored facts are the raw tables', and the Overview's counts are the reference's, whole and scoped."""
    reference = Reference(path)
    assert stored_facts(path) == reference.facts()
    everything = set(reference.section)
    first_topic = min(reference.topic_key, key=lambda t: sum(t in found for found in reference.topics.values()))
    scopes = [
        everything,
        {rec for rec in everything if first_topic in reference.topics.get(rec, ())},
        set(sorted(everything)[::3]),
    ]
    library = open_library(path)
    try:
        with library.begin() as session:
            facts = load_facts(session)
        for scope in scopes:
            overview = count(facts, scope)
            assert overview.recommendations == len(scope)
            for kind in ("groups", "states"):
                assert counted(overview, kind) == reference.cells(scope, kind)
            assert {cell: recs for cell, (_, recs) in counted(overview, "sections").items()} == {
                cell: recs for cell, (_, recs) in reference.cells(scope, "sections").items()
            }
            groups = {rec: len({g for _, g, _ in reference.behind.get(rec, ()) if g is not None}) for rec in scope}
            assert {row.recommendation_id: row.groups for row in overview.support} == groups
    finally:
        library.close()


@pytest.fixture
def shipped(tmp_path) -> Path:
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    return path


def test_the_shipped_report_facts_are_those_of_its_links_and_topics(shipped):
    assert len(stored_facts(shipped)) > 100  # topics and remarks of 47 recommendations
    check_in_step(shipped)


def test_a_synthetic_library_of_three_reports_is_in_step(tmp_path):
    path = tmp_path / "synthetic.sqlite"
    synthesize(path, 3, seed=1, annotate=False)
    reference = Reference(path)
    assert len({rec for rec, *_ in reference.facts()}) > 100  # three reports' recommendations
    check_in_step(path)


def test_import_and_replace_keep_the_facts_in_step(shipped, tmp_path, report_text):
    before = stored_facts(shipped)
    path = tmp_path / "wg-firearms-2022.txt"
    path.write_text(report_variants.firearms_2022(report_text), encoding="utf-8")
    library = open_library(shipped)
    try:
        assert import_reports(library, [path]).failed == ()
    finally:
        library.close()
    after_import = stored_facts(shipped)
    assert set(before) < set(after_import)  # the first report's facts kept, the new report's added
    check_in_step(shipped)
    library = open_library(shipped)
    try:
        (again,) = import_reports(library, [path], replace=True).imported
        assert again.replaced
    finally:
        library.close()
    # the same text again: the same facts (SQLite gives the new rows the freed ids), none left behind or lost
    assert stored_facts(shipped) == after_import
    check_in_step(shipped)


def _down_and_up(path, revision: str, at_revision) -> None:
    """Downgrade ``path`` to ``revision``, call ``at_revision(connection)`` there, and upgrade it to head."""
    engine = make_engine(path)
    try:
        for target, step in ((revision, command.downgrade), ("head", command.upgrade)):
            with engine.begin() as connection:
                cfg = alembic_config()
                cfg.attributes["connection"] = connection
                step(cfg, target)
                if target == revision:
                    at_revision(connection)
    finally:
        engine.dispose()


def test_the_migration_backfills_what_the_build_stores(shipped):
    built = stored_facts(shipped)

    def without_facts(connection) -> None:
        tables = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        assert "overview_fact" not in {name for (name,) in tables}

    _down_and_up(shipped, "0003", without_facts)
    assert stored_facts(shipped) == built


def test_an_older_library_is_upgraded_so_that_the_chairs_remarks_count_for_no_state(shipped):
    """Up to revision 0007 the Chair's remarks counted for the Chair's State (Mexico in the 2021 report)."""
    chair = "SELECT count(*) FROM overview_fact f JOIN remark m ON m.id = f.remark_id WHERE m.speaker_kind = 'chair'"
    built = stored_facts(shipped)
    with sqlite3.connect(shipped) as c:
        assert c.execute(chair).fetchone()[0] == 0

    def as_an_older_version_stored_them(connection) -> None:
        assert connection.exec_driver_sql(chair).scalar() > 0

    _down_and_up(shipped, "0007_tree_versions", as_an_older_version_stored_them)
    with sqlite3.connect(shipped) as c:
        assert c.execute(chair).fetchone()[0] == 0
    assert stored_facts(shipped) == built
