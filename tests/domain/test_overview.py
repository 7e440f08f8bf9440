"""The meeting at a glance (`models.queries.overview`) on the shipped report, checked against the CSV exports.

The expectations are computed here from what `xref-explorer export` writes (links,
paragraphs, participants, recommendations), never through `models.queries.overview`.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from models.cli.commands import main
from models.db.library import open_library
from models.paths import EMBEDDED_CORPUS
from models.queries import filters
from models.queries.filters import RecommendationFilter
from models.queries.overview import CSV_COLUMNS, count, load_facts

TOPIC_KEY, TOPIC_LABEL = "financial_flows", "Illicit financial flows"
WEOG = "Group of Western European and other States"


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    return path


def export(db: Path, kind: str, capsys) -> list[dict[str, str]]:
    assert main(["--db", str(db), "export", kind, "--format", "csv"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def expected_cell(db: Path, capsys, topic: str, group: str) -> tuple[set[tuple[str, str, str]], set[str]]:
    """(document, paragraph, speaker) remarks by ``group`` behind recommendations of ``topic``, and those
    recommendations (top-level numbers), from the CSV exports alone.

    A top-level recommendation has a topic when it or a sub-item carries it; the remarks behind it are
    those of its links and its sub-items' links.
    """
    recommendations = export(db, "recommendations", capsys)
    top = {row["number"]: row["parent"] or row["number"] for row in recommendations}
    with_topic = {top[row["number"]] for row in recommendations if topic in row["topics"].split(";")}
    groups = {row["name"]: row["group"] for row in export(db, "participants", capsys)}
    speakers = {(row["document"], row["number"]): set(row["speakers"].split(";")) for row in export(db, "paragraphs", capsys)}
    remarks, numbers = set(), set()
    for link in export(db, "links", capsys):
        root = top[link["recommendation"]]
        if root not in with_topic:
            continue
        for speaker in link["speakers"].split(";"):
            if groups.get(speaker) == group:
                assert speaker in speakers[(link["document"], link["paragraph"])]  # the paragraph names them
                remarks.add((link["document"], link["paragraph"], speaker))
                numbers.add(root)
    return remarks, numbers


def test_financial_flows_by_western_european_group_matches_the_exports(db, capsys):
    remarks, numbers = expected_cell(db, capsys, TOPIC_KEY, WEOG)
    assert remarks and len(numbers) >= 2  # a real cell, not an empty one
    library = open_library(db)
    try:
        with library.begin() as session:
            facts = load_facts(session)
            ids = filters.filtered_ids(session, RecommendationFilter())
            overview = count(facts, ids)
            filtered = filters.filtered_ids(session, RecommendationFilter(topics=frozenset({TOPIC_KEY}), group=WEOG))
    finally:
        library.close()
    cell = overview.groups.cell(TOPIC_KEY, WEOG)
    assert (cell.remarks, cell.recommendations) == (len(remarks), len(numbers))
    # the table's filter for that cell lists exactly those recommendations
    assert {row.number for row in overview.support if row.recommendation_id in filtered} == numbers
    assert len(filtered) == cell.recommendations


def test_overview_export_has_the_cell(db, capsys):
    remarks, numbers = expected_cell(db, capsys, TOPIC_KEY, WEOG)
    assert main(["--db", str(db), "export", "overview", "--format", "csv"]) == 0
    text = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS) == "topic,group,remarks,recommendations"
    row = next(r for r in rows if r["topic"] == TOPIC_LABEL and r["group"] == WEOG)
    assert (int(row["remarks"]), int(row["recommendations"])) == (len(remarks), len(numbers))
    groups = {r["group"] for r in rows}
    assert WEOG in groups and "Group of African States" in groups
    assert len(rows) == len(groups) * len({r["topic"] for r in rows})  # every topic by every group, zeros too


def test_counts_follow_the_scope(session):
    facts = load_facts(session)
    everything = count(facts, filters.filtered_ids(session, RecommendationFilter()))
    assert everything.reports == 1 and everything.recommendations == 47
    scoped = count(facts, filters.filtered_ids(session, RecommendationFilter(topics=frozenset({TOPIC_KEY}))))
    assert scoped.recommendations < everything.recommendations
    # within the topic's scope, the topic's own row counts every recommendation of the scope by section
    row = scoped.sections.grid()[[axis.key for axis in scoped.sections.rows].index(TOPIC_KEY)]
    assert sum(row) == scoped.recommendations
    # a cell never counts more than the whole library's cell
    for matrix, whole in zip(scoped.matrices(), everything.matrices(), strict=True):
        for cell in matrix.cells:
            assert cell.recommendations <= whole.cell(cell.row, cell.column).recommendations


def test_support_lists_single_voices_first(db, capsys):
    top = {row["number"]: row["parent"] or row["number"] for row in export(db, "recommendations", capsys)}
    groups = {row["name"]: row["group"] for row in export(db, "participants", capsys) if row["group"]}
    expected: dict[str, set[str]] = {number: set() for number in set(top.values())}
    for link in export(db, "links", capsys):
        expected[top[link["recommendation"]]].update(
            groups[speaker] for speaker in link["speakers"].split(";") if speaker in groups
        )
    library = open_library(db)
    try:
        with library.begin() as session:
            overview = count(load_facts(session), filters.filtered_ids(session, RecommendationFilter()))
    finally:
        library.close()
    support = overview.support
    assert len(support) == 47
    keys = [(row.speakers, row.groups) for row in support]
    assert keys == sorted(keys)
    assert {row.number: row.groups for row in support} == {number: len(found) for number, found in expected.items()}
    assert max(row.groups for row in support) >= 2  # several groups behind some recommendations
    assert all(row.groups <= row.speakers for row in support)
    assert overview.single_voices == sum(1 for row in support if row.speakers <= 1)


def test_sections_columns_name_the_sections(session):
    facts = load_facts(session)
    sections = count(facts, filters.filtered_ids(session, RecommendationFilter())).sections
    assert [axis.key for axis in sections.columns] == ["II.A", "II.B", "II.C", "II.D"]
    assert sections.columns[1].label.startswith("II.B Recommendations on reducing illicit financial")
    assert sections.cell(TOPIC_KEY, "II.B").recommendations >= 10


def test_word_briefing_at_a_glance_from_the_command_line(db, tmp_path):
    import docx
    from docx.oxml.ns import qn

    plain, glance = tmp_path / "plain.docx", tmp_path / "glance.docx"
    assert main(["--db", str(db), "export", "briefing", "--format", "docx", "-o", str(plain)]) == 0
    assert main(["--db", str(db), "export", "briefing", "--format", "docx", "--at-a-glance", "-o", str(glance)]) == 0
    assert not docx.Document(str(plain)).tables
    document = docx.Document(str(glance))
    library = open_library(db)
    try:
        with library.begin() as session:
            overview = count(load_facts(session), filters.filtered_ids(session, RecommendationFilter()))
    finally:
        library.close()
    groups = document.tables[0]
    header = [cell.text for cell in groups.rows[0].cells]
    row = next(r for r in groups.rows if r.cells[0].text == TOPIC_LABEL)
    cell = row.cells[header.index(WEOG)]
    assert cell.text == str(overview.groups.cell(TOPIC_KEY, WEOG).remarks)
    assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    # one table per chart with columns (one report: no years), the seven States in two tables to fit a portrait page
    assert [len(table.columns) - 1 for table in document.tables] == [4, 4, 3, 4]


def test_cell_filter_narrows_the_scope_exactly_where_it_can():
    from models.queries.overview import GROUPS, SECTIONS, STATES, YEARS, Axis, cell_filter

    before = RecommendationFilter(text="marking", state="Spain")
    f, scope, exact = cell_filter(before, GROUPS, TOPIC_KEY, Axis(WEOG, WEOG), "II.B")
    assert (f, scope, exact) == (RecommendationFilter(text="marking", topics=frozenset({TOPIC_KEY}), group=WEOG), "II.B", True)
    f, _, exact = cell_filter(before, STATES, TOPIC_KEY, Axis("Italy", "Italy"))
    assert (f.state, f.group, exact) == ("Italy", None, True)
    f, scope, exact = cell_filter(RecommendationFilter(), SECTIONS, TOPIC_KEY, Axis("II.B", "II.B Recs", (4,)))
    assert (f.section_id, scope, exact) == (4, "II.B Recs", True)
    f, _, exact = cell_filter(RecommendationFilter(), SECTIONS, TOPIC_KEY, Axis("II.B", "II.B Recs", (4, 40)))
    assert (f, exact) == (RecommendationFilter(topics=frozenset({TOPIC_KEY})), False)  # two reports: topic only
    f, _, exact = cell_filter(RecommendationFilter(), YEARS, TOPIC_KEY, Axis("2021", "2021", (1,)))
    assert (f.document_id, exact) == (1, True)
