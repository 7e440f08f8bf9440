"""The explorer's read queries on a copy of the real report (conftest's ``session``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from models.db import schema
from models.db.fulltext import matching_ids
from models.queries.corpus import library_counts, origins, recommendation_rows, section_tree, speakers
from models.queries.filters import SORT_KEYS, RecommendationFilter, filtered_ids, topic_counts
from models.queries.remarks import recommendation_detail, remarks_by_origin, remarks_by_speaker, report_view


def _id(session, number: str) -> int:
    return session.scalar(select(schema.Recommendation.id).where(schema.Recommendation.number == number))


def _tagged_top_level(session, key: str) -> set[int]:
    rows = session.execute(
        text(
            "SELECT DISTINCT coalesce(r.parent_id, r.id) FROM topic_tag t JOIN topic k ON k.id = t.topic_id "
            "JOIN recommendation r ON r.id = t.recommendation_id WHERE k.key = :k"
        ),
        {"k": key},
    )
    return {row[0] for row in rows}


def test_empty_filter_lists_top_level_recommendations_in_reading_order(session):
    ids = filtered_ids(session, RecommendationFilter())
    rows = recommendation_rows(session, ids)
    assert [rows[i].number for i in ids] == [str(n) for n in range(1, 48)]


@pytest.mark.parametrize("query", ["gender", "darknet", "tracing", '"end user"', "broker*"])
def test_text_filter_agrees_with_fts_and_lifts_sub_items(session, query):
    found = set(filtered_ids(session, RecommendationFilter(text=query)))
    expected = {
        session.scalar(select(schema.Recommendation.parent_id).where(schema.Recommendation.id == i)) or i
        for i in matching_ids(session, "recommendation_fts", query)
    }
    assert found == expected and found


def test_a_sub_item_match_makes_its_parent_match(session):
    assert _id(session, "47") in filtered_ids(session, RecommendationFilter(text="brokering"))


def test_a_word_being_typed_after_a_hyphen_searches_what_is_there(session):
    record = filtered_ids(session, RecommendationFilter(text="record"))
    assert record and filtered_ids(session, RecommendationFilter(text="record-")) == record
    keeping = filtered_ids(session, RecommendationFilter(text="record-keeping"))
    assert keeping and set(keeping) <= set(record)
    assert filtered_ids(session, RecommendationFilter(text='"record-"')) == record  # a phrase stays as typed


def test_unparsable_search_is_plain_words(session):
    # An unclosed quote is searched as its words: the same matches as the words typed plainly.
    assert filtered_ids(session, RecommendationFilter(text='"marking')) == filtered_ids(
        session, RecommendationFilter(text="marking")
    )


def test_topics_combine_with_and_and_counts_follow_other_filters(session):
    marking, transfer = _tagged_top_level(session, "marking"), _tagged_top_level(session, "transfer_controls")
    assert set(filtered_ids(session, RecommendationFilter(topics=frozenset({"marking"})))) == marking
    both = RecommendationFilter(topics=frozenset({"marking", "transfer_controls"}))
    assert set(filtered_ids(session, both)) == marking & transfer
    counts = topic_counts(session, RecommendationFilter(topics=frozenset({"marking"})))
    assert counts["marking"] == len(marking)
    assert counts["transfer_controls"] == len(marking & transfer)


def test_speaker_state_group_and_section_filters(session):
    rec18 = _id(session, "18")
    assert rec18 in filtered_ids(session, RecommendationFilter(speaker="Miguel Angel Fuentes Peniza"))
    assert rec18 in filtered_ids(session, RecommendationFilter(state="Spain"))
    assert rec18 in filtered_ids(session, RecommendationFilter(group="Group of Western European and other States"))
    assert rec18 not in filtered_ids(session, RecommendationFilter(state="Serbia"))
    section_b = session.scalar(select(schema.Section.id).where(schema.Section.label == "II.B"))
    chapter = session.scalar(select(schema.Section.id).where(schema.Section.label == "II"))
    in_b = filtered_ids(session, RecommendationFilter(section_id=section_b))
    assert rec18 in in_b and len(in_b) < len(filtered_ids(session, RecommendationFilter(section_id=chapter)))


def test_the_chairs_remarks_count_for_the_meeting_not_for_the_chairs_state_or_group(session):
    """The Chair (Luis Javier Campuzano Piña, of Mexico) speaks as Chair: the State (and group, where
    the Chair has one) filters and pages leave those remarks out."""
    chair = session.execute(
        select(schema.Participant.state, schema.Participant.group_name).where(schema.Participant.kind == "chair")
    ).one()
    assert chair.state == "Mexico"
    for kind, name in (("state", chair.state), ("group", chair.group_name)):
        if name is None:
            continue
        lines = remarks_by_origin(session, kind, name)
        assert lines and all(line.speaker.kind != "chair" for line in lines), (kind, name)
        by_others = {
            rec
            for (rec,) in session.execute(
                text(
                    "SELECT DISTINCT coalesce(r.parent_id, r.id) FROM link l JOIN recommendation r ON r.id = l.recommendation_id "
                    "JOIN remark m ON m.id = l.remark_id LEFT JOIN participant p ON p.id = m.participant_id "
                    f"WHERE l.shown AND m.speaker_kind <> 'chair' AND (p.{'state' if kind == 'state' else 'group_name'} = :n"
                    + (" OR m.on_behalf_of = :n)" if kind == "state" else ")")
                ),
                {"n": name},
            )
        }
        assert set(filtered_ids(session, RecommendationFilter(**{kind: name}))) == by_others


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_every_sort_returns_the_same_ids(session, sort):
    everything = filtered_ids(session, RecommendationFilter())
    ascending = filtered_ids(session, RecommendationFilter(), sort)
    descending = filtered_ids(session, RecommendationFilter(), sort, descending=True)
    assert sorted(ascending) == sorted(descending) == sorted(everything)


def test_sort_by_remarks_uses_the_counts(session):
    ids = filtered_ids(session, RecommendationFilter(), "remarks", descending=True)
    rows = recommendation_rows(session, ids)
    counts = [rows[i].remark_count for i in ids]
    assert counts == sorted(counts, reverse=True)


def test_rows_carry_topics_and_counts(session):
    row = recommendation_rows(session, [_id(session, "18")])[_id(session, "18")]
    assert row.section_label == "II.B"
    assert {chip.key for chip in row.topics} == {"financial_flows", "new_technologies"}
    assert row.remark_count >= 1 and row.speaker_count >= 1
    assert recommendation_rows(session, [_id(session, "47")])[_id(session, "47")].sub_item_count == 11


def test_detail_of_18_has_paragraph_9_with_highlights_on_both_sides(session):
    detail = recommendation_detail(session, _id(session, "18"))
    shown = [link for link in detail.links if link.shown]
    nine = next(link for link in shown if link.paragraph_number == 9)
    assert nine.speaker.label == "Miguel Angel Fuentes Peniza"
    assert nine.remark_spans and nine.recommendation_spans
    start, end = nine.recommendation_spans[0]
    assert detail.text[start:end].lower() in {e.lower() for e in nine.evidence} | {"illicit firearms"}
    assert any(not link.shown for link in detail.links)


def test_tree_counts_and_report_backlinks(session):
    nodes = section_tree(session)
    doc = nodes[0]
    assert doc.kind == "doc" and doc.count == 47 + 57
    report = report_view(session, doc.ref)
    paragraph9 = session.scalar(select(schema.Paragraph.id).where(schema.Paragraph.number == 9))
    assert "18" in {back.number for back in report.backlinks[paragraph9]}


def test_speakers_origins_and_their_remarks(session):
    assert "Miguel Angel Fuentes Peniza" in {s.label for s in speakers(session)}
    assert ("state", "Spain") in {(o.kind, o.name) for o in origins(session)}
    lines = remarks_by_speaker(session, "Miguel Angel Fuentes Peniza")
    assert [line.paragraph_number for line in lines] == [9]
    assert {line.paragraph_number for line in remarks_by_origin(session, "state", "Spain")} == {9}
    counts = library_counts(session)
    assert (counts.recommendations, counts.sub_items, counts.paragraphs) == (47, 13, 57)


def test_reading_order_is_id_order_after_an_import(tmp_path, report_text):
    """filtered_ids sorts by id: rows must be stored in reading order, reports one after another."""
    import shutil

    from sqlalchemy import select as select_

    from models.build.importing import import_reports
    from models.db import schema as s_
    from models.db.library import open_library
    from models.paths import EMBEDDED_CORPUS
    from tests.report_variants import firearms_2022

    path = tmp_path / "lib.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    report = tmp_path / "wg-firearms-2022.txt"
    report.write_text(firearms_2022(report_text), encoding="utf-8")
    library = open_library(path)
    try:
        assert not import_reports(library, [report]).failed
        with library.begin() as session:
            rows = session.execute(
                select_(s_.Recommendation.id, s_.Document.position, s_.Recommendation.position).join(
                    s_.Document, s_.Document.id == s_.Recommendation.document_id
                )
            ).all()
            sections = session.execute(
                select_(s_.Section.id, s_.Document.position, s_.Section.position).join(
                    s_.Document, s_.Document.id == s_.Section.document_id
                )
            ).all()
    finally:
        library.close()
    for found in (rows, sections):
        assert [r[0] for r in sorted(found, key=lambda r: (r[1], r[2]))] == sorted(r[0] for r in found)


@pytest.mark.parametrize("query", ["firearms", "darknet", '"end user"', "broker*", "gender OR terrorism", "States"])
def test_first_matches_are_the_head_of_the_full_list(corpus, query):
    from models.queries.filters import first_matching_ids

    everything = filtered_ids(corpus, RecommendationFilter(text=query))
    found, complete = first_matching_ids(corpus, query, 100)
    assert complete and found == everything
    head, complete = first_matching_ids(corpus, query, 3)
    assert head == (everything if complete else everything[:3])  # complete: the index ran out first


def test_first_matches_of_no_search_are_none(corpus):
    from models.queries.filters import first_matching_ids

    assert first_matching_ids(corpus, "  ", 10) == ([], True)
