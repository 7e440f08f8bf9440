"""Sharing annotations: export to CSV, merge into another library, conflicts and malformed files."""

from __future__ import annotations

import dataclasses
import io

import pytest

from models import annotations as a
from models.build.store import store_report
from models.csvio import read_csv, write_csv
from models.db.library import open_library
from models.parse import records
from tests.annotation_fixtures import DOC, R1, R2, R2A, R2B, R3, REPORT

TRICKY_NOTES = ["=SUM(A1)", "+x", "-x", "@x", "\tx", "'=already quoted", "line one\nline two", "توصية", "重要", "Ä ß é ñ"]


# The tricky notes go on recommendations 10-19: merging skips rows for recommendations not in the library.
REPORT_WITH_NOTES = dataclasses.replace(
    REPORT,
    recommendations=REPORT.recommendations
    + tuple(records.Recommendation(number, "I.A", f"Recommendation {number}.") for number in range(10, 10 + len(TRICKY_NOTES))),
)


def _library(path, annotate):
    library = open_library(path)
    with library.begin() as s:
        store_report(s, REPORT_WITH_NOTES, source_name="wg-firearms-2021.txt", source_hash="0" * 64)
        annotate(s)
    return library


def _annotate(s) -> None:
    firearms = a.create_collection(s, "Firearms").ids[0]
    marking = a.create_collection(s, "Marking", parent_id=firearms).ids[0]
    a.add_to_collection(s, firearms, [R3, R1, R2])
    a.add_to_collection(s, marking, [R2B])
    a.add_to_collection(s, a.briefing_collection_id(s), [R2A])
    tag = a.create_tag(s, "Topics").ids[0]
    a.tag_recommendations(s, a.create_tag(s, "Tracing", parent_id=tag).ids[0], [R2A, R1])
    for number, note in enumerate(TRICKY_NOTES, start=10):
        a.set_note(s, (DOC, str(number)), note)
    a.set_note(s, R1, "Check with capital")
    a.set_position(s, [R1], "support")
    a.set_position(s, [R2], "needs_instructions")
    a.set_priority(s, [R3], True)
    a.add_highlight(s, R1, 0, 6, "yellow")
    a.add_highlight(s, R1, 3, 9, "#ffcc00")
    a.add_curated_link(s, R1, 12, 0, note="=first speaker")
    a.add_curated_link(s, R2, 12)
    a.reject_link(s, R2, 12, 1)


@pytest.fixture
def source(tmp_path):
    library = _library(tmp_path / "mine.sqlite", _annotate)
    yield library
    library.close()


@pytest.fixture
def target(empty_library):
    """The colleague's library: a file, or the delegation's shared library on PostgreSQL."""
    with empty_library.begin() as s:
        store_report(s, REPORT_WITH_NOTES, source_name="wg-firearms-2021.txt", source_hash="0" * 64)
    return empty_library


def _csv(library) -> str:
    stream = io.StringIO(newline="")
    with library.begin() as s:
        a.write_annotations_csv(s, stream)
    return stream.getvalue()


def _merge(library, text: str) -> a.MergeReport:
    with library.begin() as s:
        return a.merge_annotations_csv(s, io.StringIO(text, newline=""))


def _export(library) -> list[dict[str, str]]:
    with library.begin() as s:
        return a.export_annotations(s)


def test_export_has_one_row_per_annotation_with_the_agreed_columns(source):
    rows = _export(source)
    assert all(tuple(row) == a.EXPORT_COLUMNS for row in rows)
    assert a.EXPORT_COLUMNS == (
        "document",
        "recommendation",
        "kind",
        "value",
        "collection",
        "tag",
        "note",
        "position",
        "updated",
        "author",
    )  # author appended last: scripts read the old columns by position
    by_kind = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    assert set(by_kind) == set(a.KINDS)
    assert [(r["collection"], r["recommendation"], r["value"]) for r in by_kind["collection_item"]] == [
        ("Briefing", "2a", "0"),
        ("Firearms", "3", "0"),
        ("Firearms", "1", "1"),
        ("Firearms", "2", "2"),
        ("Firearms / Marking", "2b", "0"),
    ]
    assert {r["tag"] for r in by_kind["tag"]} == {"Topics / Tracing"}
    assert [r["value"] for r in by_kind["highlight"]] == ["0-6:yellow", "3-9:#ffcc00"]
    assert [(r["value"], r["note"]) for r in by_kind["curated_link"]] == [
        ("paragraph 12 remark 0", "=first speaker"),
        ("paragraph 12", ""),
    ]
    assert [r["value"] for r in by_kind["rejected_link"]] == ["paragraph 12 remark 1"]
    assert [r["value"] for r in by_kind["priority"]] == ["yes"]
    assert all(r["updated"].endswith("Z") for r in rows)


def test_round_trip_into_another_library_through_csv(source, target):
    text = _csv(source)
    assert text.startswith("\ufeff")
    assert "'=SUM(A1)" in text and "'\tx" in text and "'=first speaker" in text  # guarded for spreadsheets
    report = _merge(target, text)
    assert report.conflicts == ()
    assert report.added == len(_export(source))
    assert _export(target) == _export(source)  # same items, order, paths and timestamps
    with target.begin() as s:
        for number, note in enumerate(TRICKY_NOTES, start=10):
            assert a.recommendation_annotations(s, (DOC, str(number))).note == note
        firearms = next(n for n in a.collection_tree(s) if n.name == "Firearms")
        assert [i.key.number for i in a.collection_items(s, firearms.id)] == ["3", "1", "2"]
        assert [c.name for c in firearms.children] == ["Marking"]


def test_merging_the_same_file_twice_adds_nothing_the_second_time(source, target):
    text = _csv(source)
    first = _merge(target, text)
    second = _merge(target, text)
    assert second == a.MergeReport(added=0, unchanged=first.added, conflicts=())
    assert _export(target) == _export(source)
    assert _merge(source, text) == second  # into the library it came from: nothing new either


def test_conflicts_are_reported_and_the_local_value_kept(source, target):
    with target.begin() as s:
        a.set_note(s, R1, "Our own note")
        a.set_position(s, [R1], "oppose")
        a.add_curated_link(s, R1, 12, 0, note="ours")
    before = {row["kind"] + row["recommendation"]: row for row in _export(target)}
    text = _csv(source)
    report = _merge(target, text)
    assert len(report.conflicts) == 3
    note, position, link = (next(c for c in report.conflicts if what in c) for what in (": note", ": position", "link to"))
    assert "“Our own note”" in note and "“Check with capital”" in note and "recommendation 1 " in note
    assert "“oppose”" in position and "“support”" in position
    assert "“ours”" in link and "“=first speaker”" in link
    assert all(c.startswith("Line ") for c in report.conflicts)
    with target.begin() as s:
        view = a.recommendation_annotations(s, R1)
        assert (view.note, view.position, view.curated_links[0].note) == ("Our own note", "oppose", "ours")
    after = {row["kind"] + row["recommendation"]: row for row in _export(target)}
    assert all(after[k] == v for k, v in before.items())
    assert _merge(target, text).conflicts == report.conflicts  # reported again, still not overwritten


def test_merge_maps_paths_to_existing_collections_case_insensitively(target):
    rows = [
        {
            "document": DOC,
            "recommendation": "1",
            "kind": "collection_item",
            "value": "0",
            "collection": "briefing",
            "tag": "",
            "note": "",
            "position": "",
            "updated": "",
        },
        {
            "document": DOC,
            "recommendation": "3",
            "kind": "collection_item",
            "value": "",
            "collection": "New / Deeper",
            "tag": "",
            "note": "",
            "position": "",
            "updated": "2026-01-02T03:04:05+01:00",
        },
    ]
    with target.begin() as s:
        assert a.merge_annotations(s, rows) == a.MergeReport(2, 0, ())
        tree = a.collection_tree(s)
        assert [(n.name, n.count) for n in tree] == [("Briefing", 1), ("New", 0)]
        assert [(n.name, n.count) for n in tree[1].children] == [("Deeper", 1)]
    exported = [r for r in _export(target) if r["collection"] == "New / Deeper"]
    assert exported[0]["updated"] == "2026-01-02T02:04:05Z"


def _accented(s) -> None:
    education = a.create_collection(s, "Éducation").ids[0]
    a.add_to_collection(s, education, [R1, R2])
    a.tag_recommendations(s, a.create_tag(s, "État").ids[0], [R3])


def test_merging_non_ascii_names_twice_adds_nothing_the_second_time(tmp_path, target):
    # SQLite's lower() folds ASCII only: names are matched as a new sibling's name is checked (casefold).
    mine = _library(tmp_path / "accents.sqlite", _accented)
    try:
        text = _csv(mine)
    finally:
        mine.close()
    assert _merge(target, text).added == 3
    assert _merge(target, text) == a.MergeReport(added=0, unchanged=3, conflicts=())
    shouted = text.replace("Éducation", "ÉDUCATION").replace("État", "éTAT")
    assert _merge(target, shouted) == a.MergeReport(added=0, unchanged=3, conflicts=())
    with target.begin() as s:
        assert [(n.name, n.count) for n in a.collection_tree(s)] == [("Briefing", 0), ("Éducation", 2)]
        assert [(n.name, n.count) for n in a.tag_tree(s)] == [("État", 1)]


@pytest.mark.parametrize(
    ("line", "cells", "message"),
    [
        ("kind", {"kind": "bookmark"}, "unknown kind “bookmark”"),
        ("position", {"kind": "position", "position": "maybe"}, "unknown position"),
        ("highlight", {"kind": "highlight", "value": "9-3:red"}, "start-end:colour"),
        ("link", {"kind": "curated_link", "value": "12"}, "paragraph 12"),
        ("no collection", {"kind": "collection_item", "value": "1"}, "collection is missing"),
        ("no document", {"kind": "note", "document": "", "note": "x"}, "document"),
        ("bad date", {"kind": "note", "note": "x", "updated": "yesterday"}, "not a date"),
        ("empty note", {"kind": "note", "note": " "}, "note is empty"),
    ],
)
def test_malformed_rows_name_the_line_and_merge_nothing(target, line, cells, message):
    good = {
        "document": DOC,
        "recommendation": "1",
        "kind": "note",
        "value": "",
        "collection": "",
        "tag": "",
        "note": "fine",
        "position": "",
        "updated": "",
    }
    stream = io.StringIO(newline="")
    write_csv([good, {**good, "recommendation": "2"}, {**good, **cells}], a.EXPORT_COLUMNS, stream)
    before = _export(target)
    with pytest.raises(a.AnnotationFileError) as caught:
        _merge(target, stream.getvalue())
    assert "Line 4:" in str(caught.value) and message in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    assert _export(target) == before


def test_a_file_that_is_not_an_annotations_export_is_refused(target):
    with pytest.raises(a.AnnotationFileError, match="Line 1: .*missing columns: .*kind"), target.begin() as s:
        a.merge_annotations(s, read_csv(io.StringIO("name,value\r\nx,y\r\n")))
    with target.begin() as s:
        assert a.merge_annotations(s, []) == a.MergeReport(0, 0, ())


def test_a_header_alone_is_checked_like_a_file_with_rows(target):
    before = _export(target)
    with pytest.raises(a.AnnotationFileError, match=r"Line 1: .*missing columns: .*kind.*its header reads: name, value"):
        _merge(target, "name,value\r\n")
    for empty in ("", "\ufeff", "\r\n"):
        with pytest.raises(a.AnnotationFileError, match="The file is empty: it is not an annotations file"):
            _merge(target, empty)
    assert _merge(target, ",".join(a.EXPORT_COLUMNS) + "\r\n") == a.MergeReport(0, 0, ())
    assert _export(target) == before


def test_a_nul_character_in_a_note_is_dropped_so_a_file_library_merges_into_a_shared_one(tmp_path, target):
    """SQLite stores a NUL that came in by a script; PostgreSQL refuses one. Neither keeps it now."""
    mine = _library(tmp_path / "nul.sqlite", lambda s: a.set_note(s, (DOC, "3"), "Check\x00 this"))
    try:
        with mine.begin() as s:
            assert a.recommendation_annotations(s, (DOC, "3")).note == "Check this"
        text = _csv(mine).replace("Check this", "Check\x00 this")  # a file written by another tool
    finally:
        mine.close()
    assert _merge(target, text).added == 1
    with target.begin() as s:
        assert a.recommendation_annotations(s, (DOC, "3")).note == "Check this"
