"""Briefings from the library: the command line, topic and collection selections, Word and CSV."""

from __future__ import annotations

import csv
import io
import shutil

import docx
import pytest
from sqlalchemy import select

from models import annotations as a
from models.briefing.collect import collect_briefing
from models.cli.commands import main
from models.csvio import read_csv
from models.db import schema
from models.db.library import open_library
from models.paths import EMBEDDED_CORPUS

DOC = "working-group-on-firearms/2021-05-10"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    return path


def annotate(db):
    library = open_library(db)
    try:
        with library.begin() as s:
            briefing = a.briefing_collection_id(s)
            a.add_to_collection(s, briefing, [(DOC, "44"), (DOC, "18"), (DOC, "9")])
            a.set_note(s, (DOC, "18"), "=SUM(A1) توصية рекомендация 建议")
            a.set_position(s, [(DOC, "18")], "support")
            a.set_priority(s, [(DOC, "44")], True)
    finally:
        library.close()


def tagged_with(db, key) -> set[str]:
    library = open_library(db)
    try:
        with library.begin() as s:
            rows = s.execute(
                select(schema.Recommendation.number)
                .join(schema.TopicTag, schema.TopicTag.recommendation_id == schema.Recommendation.id)
                .join(schema.Topic)
                .where(schema.Topic.key == key, schema.Recommendation.parent_id.is_(None))
            ).scalars()
            return set(rows)
    finally:
        library.close()


@pytest.mark.parametrize("topic", ["gender", "financial_flows", "marking"])
def test_topic_briefing_holds_exactly_that_topics_recommendations(db, tmp_path, topic, capsys):
    out = tmp_path / "b.csv"
    assert main(["--db", str(db), "export", "briefing", "--format", "csv", "--topic", topic, "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as stream:
        numbers = {row["number"] for row in csv.DictReader(stream)}
    assert numbers == tagged_with(db, topic)


def test_word_briefing_has_headings_texts_remarks_and_references(db, tmp_path):
    out = tmp_path / "b.docx"
    assert main(["--db", str(db), "export", "briefing", "--format", "docx", "--query", "darknet", "-o", str(out)]) == 0
    document = docx.Document(out)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 2", "Recommendation 18") in paragraphs
    assert any(style == "Heading 1" and text.startswith("II.B.") for style, text in paragraphs)
    assert any(
        text.startswith("Acknowledging that illicit firearms are occasionally purchased on the darknet") for _, text in paragraphs
    )
    quotes = [text for style, text in paragraphs if style == "Quote"]
    assert any("Miguel Angel Fuentes Peniza" in q and "(para. 9)" in q and "cryptocurrencies" in q for q in quotes)
    assert any("Search: darknet" in text for _, text in paragraphs)


def test_collection_briefing_keeps_the_collection_order_and_annotations(db, tmp_path):
    annotate(db)
    out = tmp_path / "b.csv"
    assert main(["--db", str(db), "export", "briefing", "--collection", "Briefing", "-o", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as stream:
        rows = read_csv(stream)
    assert [r["number"] for r in rows] == ["44", "18", "9"]
    assert rows[1]["note"] == "=SUM(A1) توصية рекомендация 建议"  # read back as typed
    assert rows[1]["position"] == "support" and rows[0]["priority"] == "yes"
    raw = out.read_text(encoding="utf-8-sig")
    assert "'=SUM(A1)" in raw  # a spreadsheet will not run it


def test_collection_briefing_in_word_shows_position_and_note(db, tmp_path):
    annotate(db)
    out = tmp_path / "b.docx"
    assert main(["--db", str(db), "export", "briefing", "--format", "docx", "--collection", "Briefing", "-o", str(out)]) == 0
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert text.index("Recommendation 44") < text.index("Recommendation 18") < text.index("Recommendation 9")
    assert "Support" in text and "рекомендация" in text


def _numbers(db, collection, capsys) -> list[str] | str:
    """The briefing's recommendation numbers, or the one-line error the command printed."""
    capsys.readouterr()
    if main(["--db", str(db), "export", "briefing", "--collection", collection]) != 0:
        (error,) = capsys.readouterr().err.strip().splitlines()
        return error
    return [row["number"] for row in read_csv(io.StringIO(capsys.readouterr().out))]


def test_a_nested_collection_is_named_by_its_path_and_a_repeated_name_is_refused(db, capsys):
    library = open_library(db)
    try:
        with library.begin() as s:
            firearms, cyber = (a.create_collection(s, name).ids[0] for name in ("Firearms", "Cyber"))
            a.add_to_collection(s, a.create_collection(s, "Notes", parent_id=firearms).ids[0], [(DOC, "1")])
            a.add_to_collection(s, a.create_collection(s, "Notes", parent_id=cyber).ids[0], [(DOC, "6"), (DOC, "5")])
            a.add_to_collection(s, a.create_collection(s, "Tracing", parent_id=cyber).ids[0], [(DOC, "9")])
    finally:
        library.close()
    assert _numbers(db, "Cyber / Notes", capsys) == ["6", "5"]
    assert _numbers(db, "firearms  /  NOTES", capsys) == ["1"]  # as merges match names: spaces and case aside
    assert _numbers(db, "Tracing", capsys) == ["9"]  # a name no other collection has needs no path
    assert _numbers(db, "Notes", capsys) == (
        "xref-explorer: 2 collections are named 'Notes' (Cyber / Notes, Firearms / Notes); "
        "give the path of one, e.g. 'Cyber / Notes'."
    )
    unknown = _numbers(db, "Firearms / Tracing", capsys)
    assert unknown.startswith("xref-explorer: There is no collection named 'Firearms / Tracing' (collections: ")
    assert "Cyber / Notes, Cyber / Tracing, Firearms, Firearms / Notes)" in unknown
    library = open_library(db)
    try:
        with library.begin() as s:
            a.add_to_collection(s, a.create_collection(s, "Notes").ids[0], [(DOC, "3")])
    finally:
        library.close()
    assert _numbers(db, "Notes", capsys) == ["3"]  # the path of the top-level one


def test_empty_selection_gives_a_clear_message(db, capsys):
    assert main(["--db", str(db), "export", "briefing", "--collection", "Briefing"]) == 1
    assert "Nothing to export: the selection is empty." in capsys.readouterr().err
    assert main(["--db", str(db), "export", "briefing", "--query", "zzzzunknownword"]) == 1


def test_unknown_topic_is_named(db, capsys):
    assert main(["--db", str(db), "export", "briefing", "--topic", "weather"]) == 1
    err = capsys.readouterr().err
    assert "Unknown topic 'weather'" in err and "financial_flows" in err


def test_word_needs_an_output_file(db, capsys):
    assert main(["--db", str(db), "export", "briefing", "--format", "docx"]) == 1
    assert "-o FILE.docx" in capsys.readouterr().err


def test_briefing_links_csv(db, capsys):
    assert main(["--db", str(db), "export", "briefing", "--query", "darknet", "--per", "link"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    row = next(r for r in rows if r["recommendation"] == "18" and r["paragraph"] == "9")
    assert row["speaker"] == "Miguel Angel Fuentes Peniza" and row["source"] == "automatic"


def test_annotations_export_and_merge_between_libraries(db, tmp_path, capsys):
    annotate(db)
    shared = tmp_path / "mine.csv"
    assert main(["--db", str(db), "export", "annotations", "--format", "csv", "-o", str(shared)]) == 0
    header = shared.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "document,recommendation,kind,value,collection,tag,note,position,updated,author"
    colleague = tmp_path / "colleague.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, colleague)
    capsys.readouterr()
    assert main(["--db", str(colleague), "merge", str(shared)]) == 0
    first = capsys.readouterr().out
    assert main(["--db", str(colleague), "merge", str(shared)]) == 0
    second = capsys.readouterr().out
    assert "0 added" not in first and "0 added" in second
    library = open_library(colleague)
    try:
        with library.begin() as s:
            assert a.recommendation_annotations(s, (DOC, "18")).note == "=SUM(A1) توصية рекомендация 建议"
    finally:
        library.close()


def test_collect_briefing_counts_sub_item_remarks_for_the_parent(corpus):
    rec_47 = corpus.scalar(select(schema.Recommendation.id).where(schema.Recommendation.number == "47"))
    briefing = collect_briefing(corpus, [rec_47])
    item = briefing.items[0]
    assert [label for label, _ in item.subitems] == [f"47{c}" for c in "abcdefghijk"]
    assert {r.paragraph for r in item.remarks} >= {37}


def merge_sub_item_annotations(db, tmp_path, capsys) -> None:
    """Through `merge`, as a colleague's file arrives: a note and position on 47f, a priority on 47a,
    and a collection "Marking" holding sub-item 47g alone."""
    file = tmp_path / "colleague.csv"
    file.write_text(
        "document,recommendation,kind,value,collection,tag,note,position,updated,author\n"
        f"{DOC},47f,note,,,,Ask about convertible alarm weapons,,2024-05-01T10:00:00,ana\n"
        f"{DOC},47f,position,,,,,oppose,2024-05-01T10:00:00,ana\n"
        f"{DOC},47a,priority,yes,,,,,2024-05-01T10:00:00,ana\n"
        f"{DOC},47g,collection_item,0,Marking,,,,2024-05-01T10:00:00,ana\n",
        encoding="utf-8",
    )
    assert main(["--db", str(db), "merge", str(file)]) == 0
    assert "4 added" in capsys.readouterr().out


def test_sub_item_annotations_and_selection_are_in_the_csv_briefing(db, tmp_path, capsys):
    merge_sub_item_annotations(db, tmp_path, capsys)
    assert main(["--db", str(db), "export", "briefing", "--collection", "Marking"]) == 0
    (row,) = read_csv(io.StringIO(capsys.readouterr().out))
    assert row["number"] == "47" and len(row["subitems"].splitlines()) == 11  # the whole recommendation
    assert (row["position"], row["priority"], row["note"]) == ("", "no", "")  # 47's own: none
    assert row["subitem_positions"] == "47f: oppose"
    assert row["subitem_priorities"] == "47a"
    assert row["subitem_notes"] == "47f: Ask about convertible alarm weapons"
    assert row["selected"] == "47g"


def test_sub_item_annotations_and_selection_are_at_their_lines_in_the_word_briefing(db, tmp_path, capsys):
    merge_sub_item_annotations(db, tmp_path, capsys)
    out = tmp_path / "b.docx"
    assert main(["--db", str(db), "export", "briefing", "--format", "docx", "--collection", "Marking", "-o", str(out)]) == 0
    paragraphs = docx.Document(out).paragraphs
    lines = [(p.style.name, p.text) for p in paragraphs]
    assert ("Normal", "Selected: sub-item (g) only (in bold)") in lines
    bullets = [index for index, (style, _) in enumerate(lines) if style == "List Bullet"]
    assert len(bullets) == 11
    f = next(index for index, (_, text) in enumerate(lines) if text.startswith("(f) Addressing the issue"))
    assert lines[f + 1 : f + 3] == [
        ("List Continue", "Position (f): Oppose"),
        ("List Continue", "Note (f): Ask about convertible alarm weapons"),
    ]
    a_line = next(index for index, (_, text) in enumerate(lines) if text.startswith("(a) Addressing and mainstreaming"))
    assert lines[a_line + 1] == ("List Continue", "Priority (a): yes")
    g = next(p for p in paragraphs if p.text.startswith("(g) Establishing effective tracing"))
    assert [run.style.name for run in g.runs] == ["Strong"]  # the chosen sub-item stands out
    h = next(p for p in paragraphs if p.text.startswith("(h) "))
    assert [run.style.name for run in h.runs] != ["Strong"]
    assert not any(text.startswith("Note:") or text.startswith("Position:") for _, text in lines)  # not 47's own


def test_a_sub_item_is_marked_selected_only_without_its_recommendation(corpus):
    numbers = select(schema.Recommendation.number, schema.Recommendation.id).join(schema.Document)
    ids = dict(corpus.execute(numbers.where(schema.Document.key == DOC)).all())
    assert collect_briefing(corpus, [ids["47g"], ids["47f"]]).items[0].selected == ("47f", "47g")  # sub-item order
    assert collect_briefing(corpus, [ids["47g"], ids["47"]]).items[0].selected == ()
    assert collect_briefing(corpus, [ids["47"]]).items[0].selected == ()


def test_briefing_per_link_has_the_links_of_the_links_export(db, capsys):
    """One row per recommendation or sub-item and remark, numbered and scored as `export links` has them."""
    assert main(["--db", str(db), "export", "links", "--format", "csv"]) == 0
    pairs = {(r["recommendation"], r["paragraph"]): r["score"] for r in read_csv(io.StringIO(capsys.readouterr().out))}
    assert main(["--db", str(db), "export", "briefing", "--per", "link"]) == 0
    rows = read_csv(io.StringIO(capsys.readouterr().out))
    best: dict[tuple[str, str], str] = {}
    for row in rows:  # the links export keeps a paragraph's best remark
        pair = (row["recommendation"], row["paragraph"])
        best[pair] = max(best.get(pair, row["score"]), row["score"], key=float)
    assert best == pairs
    assert len({(r["recommendation"], r["paragraph"], r["speaker"], r["remark"]) for r in rows}) == len(rows)
    paragraph_23 = [(r["recommendation"], r["score"]) for r in rows if r["paragraph"] == "23" and r["recommendation"][:2] == "47"]
    assert paragraph_23 == [("47d", "0.285"), ("47f", "0.137"), ("47g", "0.194")]
    assert main(["--db", str(db), "export", "briefing", "--query", "future sessions"]) == 0
    (row,) = [r for r in read_csv(io.StringIO(capsys.readouterr().out)) if r["number"] == "47"]
    assert row["remarks"] == "10"  # per recommendation, still each remark once (as Word prints them)


def word_outline(path) -> list[tuple[str, str]]:
    """(style, text) of the body after the contents list: headings and the one-line cross-references."""
    content = [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs if not p.style.name.startswith("TOC")]
    return content[[s for s, _ in content].index("Heading 1") :]


def test_topic_grouping_of_a_selected_topic_has_only_that_heading(db, tmp_path):
    dest = tmp_path / "gender.docx"
    assert (
        main(
            [
                "--db",
                str(db),
                "export",
                "briefing",
                "--format",
                "docx",
                "--topic",
                "gender",
                "--group-by",
                "topic",
                "-o",
                str(dest),
            ]
        )
        == 0
    )
    outline = [(s, t) for s, t in word_outline(dest) if s.startswith("Heading")]
    numbers = sorted(tagged_with(db, "gender"), key=int)
    assert outline[: len(numbers) + 1] == [("Heading 1", "Gender")] + [("Heading 2", f"Recommendation {n}") for n in numbers]
    assert [t for s, t in outline if s == "Heading 1"] == ["Gender", "Index of mentions"]
    texts = [p.text for p in docx.Document(str(dest)).paragraphs]
    assert sum(t.startswith("(a) ") for t in texts) == 1  # recommendation 47's sub-items, printed once


def test_topic_grouping_prints_each_recommendation_once_with_cross_references(db, tmp_path):
    dest = tmp_path / "topics.docx"
    assert main(["--db", str(db), "export", "briefing", "--format", "docx", "--group-by", "topic", "-o", str(dest)]) == 0
    outline = word_outline(dest)
    full = [t for s, t in outline if s == "Heading 2"]
    assert len(full) == len(set(full)) == 47
    heading, referred = None, []
    for style, text in outline:
        if style == "Heading 1":
            heading = text
        elif " \u2014 see under " in text:
            number, under = text.removeprefix("Recommendation ").split(" \u2014 see under ")
            assert under != heading and f"Recommendation {number}" in full
            referred.append(number)
    assert "47" in referred  # 47 has several topics: in full once, a line under each other
    assert len(referred) == sum(len(topics) - 1 for topics in _topics_per_recommendation(db).values())


def _topics_per_recommendation(db) -> dict[str, set[str]]:
    library = open_library(db)
    try:
        with library.begin() as s:
            rows = s.execute(
                select(schema.Recommendation.number, schema.Topic.key)
                .join(schema.TopicTag, schema.TopicTag.recommendation_id == schema.Recommendation.id)
                .join(schema.Topic)
                .where(schema.Recommendation.parent_id.is_(None))
            )
            found: dict[str, set[str]] = {}
            for number, key in rows:
                found.setdefault(number, set()).add(key)
            return found
    finally:
        library.close()
