"""Mentions shown: the `mentions` export, the Mentions filter, the details' "Mentions" and the Word
briefing's index, on the shipped report."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import docx
from sqlalchemy import select

from models.briefing.collect import collect_briefing
from models.briefing.word import MENTION_INDEX_HEADING, build_document
from models.db import schema
from models.queries.filters import RecommendationFilter, filtered_ids, topic_counts
from models.queries.mentions import article_of, mention_options, mentions_behind, summarise
from models.queries.remarks import recommendation_detail

ROOT = Path(__file__).resolve().parent.parent.parent
COLUMNS = ["document", "kind", "key", "label", "article", "recommendation", "paragraph"]


def numbers(session, ids) -> set[str]:
    return set(session.scalars(select(schema.Recommendation.number).where(schema.Recommendation.id.in_(ids))))


def rec_id(session, number: str) -> int:
    return session.scalar(select(schema.Recommendation.id).where(schema.Recommendation.number == number))


def test_export_mentions_as_csv_from_the_command_line(tmp_path):
    out = tmp_path / "mentions.csv"
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "export", "mentions", "--format", "csv", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == COLUMNS
    article_32 = [r for r in rows if r["key"] == "Organized Crime Convention art. 32"]
    assert [(r["kind"], r["article"], r["paragraph"], r["recommendation"]) for r in article_32] == [("instrument", "32", "1", "")]
    assert "article 32" in article_32[0]["label"]
    interpol = {(r["recommendation"], r["paragraph"]) for r in rows if r["key"] == "INTERPOL"}
    assert ("", "18") in interpol and ("4", "") in interpol and ("43", "") in interpol
    assert {r["article"] for r in rows if r["key"] == "Firearms Protocol art. 10"} == {"10"}
    assert all(r["article"] == "" for r in rows if " art. " not in r["key"])
    assert len({tuple(r.values()) for r in rows}) == len(rows)  # one row per thing and text


def _remark_texts_behind(session, rec_ids) -> dict[int, list[str]]:
    """Independent of the mentions index: the texts of each top-level recommendation and of the
    remarks shown behind it (or its sub-items)."""
    texts: dict[int, list[str]] = {}
    for rec in session.scalars(select(schema.Recommendation)):
        texts.setdefault(rec.parent_id or rec.id, []).append(rec.text)
    rows = session.execute(
        select(schema.Recommendation.id, schema.Recommendation.parent_id, schema.Remark.text)
        .join(schema.Link, schema.Link.recommendation_id == schema.Recommendation.id)
        .join(schema.Remark, schema.Remark.id == schema.Link.remark_id)
        .where(schema.Link.shown.is_(True))
    )
    for rec, parent, text in rows:
        texts[parent or rec].append(text)
    return texts


def test_mentions_filter_matches_the_texts_that_name_it(session):
    texts = _remark_texts_behind(session, None)
    for key, pattern in (("INTERPOL", r"INTERPOL|International Criminal Police Organization"), ("Colombia", r"\bColombia\b")):
        expected = {rec for rec, found in texts.items() if any(re.search(pattern, t) for t in found)}
        got = set(filtered_ids(session, RecommendationFilter(mention=key)))
        assert got == expected, key
    assert {"4", "42", "43"} <= numbers(session, filtered_ids(session, RecommendationFilter(mention="INTERPOL")))


def test_an_instrument_matches_through_its_articles_and_combines_with_topics(session):
    article = numbers(session, filtered_ids(session, RecommendationFilter(mention="Firearms Protocol art. 10")))
    assert article == {"47"}  # sub-item 47j names article 10
    protocol = set(filtered_ids(session, RecommendationFilter(mention="Firearms Protocol")))
    assert rec_id(session, "47") in protocol and rec_id(session, "31") in protocol  # 31: article 7
    with_topic = RecommendationFilter(mention="Firearms Protocol", topics=frozenset({"marking"}))
    both = set(filtered_ids(session, with_topic))
    assert both and both < protocol
    assert both == protocol & set(filtered_ids(session, RecommendationFilter(topics=frozenset({"marking"}))))
    assert topic_counts(session, RecommendationFilter(mention="Firearms Protocol"))["marking"] == len(both)


def test_filter_options_list_instruments_first_and_articles_in_order(session):
    options = mention_options(session)
    keys = [o.key for o in options]
    assert options[0].kind == "instrument"
    assert (
        keys.index("Firearms Protocol")
        < keys.index("Firearms Protocol art. 7")
        < keys.index("Firearms Protocol art. 10")
        < keys.index("Firearms Protocol art. 13")
    )
    assert {"INTERPOL", "Colombia", "iArms"} <= set(keys)
    assert article_of("Firearms Protocol art. 13") == "13" and article_of("INTERPOL") == ""


def test_details_list_what_the_recommendation_and_its_remarks_name(session):
    detail = recommendation_detail(session, rec_id(session, "4"))
    by_key = {m.key: m for m in detail.mentions}
    assert by_key["INTERPOL"].places == ("this recommendation", "¶ 18")
    assert by_key["INTERPOL"].kind == "organisation"
    detail_47 = recommendation_detail(session, rec_id(session, "47"))
    keys = [m.key for m in detail_47.mentions]
    assert "Firearms Protocol art. 10" in keys
    assert {m.key: m.places for m in detail_47.mentions}["Firearms Protocol art. 10"] == ("47j",)
    kinds = [m.kind for m in detail_47.mentions]
    assert kinds == sorted(
        kinds, key=["instrument", "organisation", "system", "operation", "state", "region", "sdg", "resolution", "symbol"].index
    )


def test_a_rejected_link_takes_its_mentions_away(library):
    from models import annotations as a

    doc = "working-group-on-firearms/2021-05-10"
    with library.begin() as s:
        places = mentions_behind(s, [rec_id(s, "4")])[rec_id(s, "4")]
        assert ("INTERPOL", 18) in {(p.key, p.paragraph) for p in places}
        a.reject_link(s, (doc, "4"), 18, None)
    with library.begin() as s:
        places = mentions_behind(s, [rec_id(s, "4")])[rec_id(s, "4")]
        assert ("INTERPOL", 18) not in {(p.key, p.paragraph) for p in places}
        assert [m.places for m in summarise(places, "4") if m.key == "INTERPOL"] == [("this recommendation",)]


def test_word_briefing_ends_with_an_index_of_mentions(session):
    ids = [rec_id(session, n) for n in ("4", "18", "43", "47")]
    briefing = collect_briefing(session, ids)
    index = {entry.key: entry for entry in briefing.mentions}
    assert index["INTERPOL"].recommendations == ("4", "43")
    assert index["Firearms Protocol art. 10"].recommendations == ("47j",)
    stream = io.BytesIO()
    build_document(briefing).save(stream)
    paragraphs = docx.Document(io.BytesIO(stream.getvalue())).paragraphs
    # the heading itself (the filled contents list it first, as a "TOC 1" entry)
    start = next(i for i, p in enumerate(paragraphs) if p.text == MENTION_INDEX_HEADING and p.style.name != "TOC 1")
    assert paragraphs[start].style.name == "Heading 1"
    tail = paragraphs[start:]
    assert {p.text for p in tail if p.style.name == "Heading 3"} >= {"Instruments and articles", "Organisations"}
    line = next(p.text for p in tail if p.text.startswith("INTERPOL"))
    assert line == "INTERPOL (International Criminal Police Organization): Recommendations 4, 43"
    # a label that goes on from its key is read on from it, not repeated in brackets
    from dataclasses import replace

    wassenaar = replace(index["INTERPOL"], key="Wassenaar Arrangement", label="Wassenaar Arrangement (secretariat)")
    stream = io.BytesIO()
    build_document(replace(briefing, mentions=(wassenaar,))).save(stream)
    texts = [p.text for p in docx.Document(io.BytesIO(stream.getvalue())).paragraphs]
    assert "Wassenaar Arrangement (secretariat): Recommendations 4, 43" in texts
    assert all(p.style.name.startswith("Heading") or ":" in p.text for p in tail)
