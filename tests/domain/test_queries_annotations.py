"""Annotation filters, markers in table rows, and curated/rejected links in the detail, on a copy of the real report."""

from __future__ import annotations

from sqlalchemy import select

from models import annotations as a
from models.db import schema
from models.queries.corpus import recommendation_ids, recommendation_keys, recommendation_rows
from models.queries.filters import RecommendationFilter, filtered_ids, topic_counts
from models.queries.remarks import recommendation_detail, report_view


def _id(session, number: str) -> int:
    return session.scalar(select(schema.Recommendation.id).where(schema.Recommendation.number == number))


def _key(session, number: str) -> a.RecommendationKey:
    return recommendation_keys(session, [_id(session, number)])[_id(session, number)]


def _numbers(session, f: RecommendationFilter) -> list[str]:
    ids = filtered_ids(session, f)
    rows = recommendation_rows(session, ids)
    return [rows[i].number for i in ids]


def test_keys_and_ids_map_both_ways(session):
    rid = _id(session, "18")
    key = recommendation_keys(session, [rid])[rid]
    assert key.number == "18" and key.document_key.startswith("working-group")
    assert recommendation_ids(session, [key, (key.document_key, "999")]) == {key: rid}


def test_annotation_filters_match_by_document_key_and_number(session):
    k3, k18, k20 = (_key(session, n) for n in ("3", "18", "20"))
    a.set_note(session, k18, "Check with capital")
    a.set_position(session, [k18, k20], "support")
    a.set_position(session, [k3], "oppose")
    a.set_priority(session, [k20], True)
    briefing = a.briefing_collection_id(session)
    a.add_to_collection(session, briefing, [k20, k3])
    tag = a.create_tag(session, "Marking").ids[0]
    a.tag_recommendations(session, tag, [k18])

    assert _numbers(session, RecommendationFilter(has_note=True)) == ["18"]
    assert _numbers(session, RecommendationFilter(position="support")) == ["18", "20"]
    assert _numbers(session, RecommendationFilter(position="oppose")) == ["3"]
    assert _numbers(session, RecommendationFilter(priority=True)) == ["20"]
    assert _numbers(session, RecommendationFilter(collection_id=briefing)) == ["3", "20"]
    assert _numbers(session, RecommendationFilter(tag_id=tag)) == ["18"]
    assert _numbers(session, RecommendationFilter(position="support", priority=True)) == ["20"]
    assert not RecommendationFilter(priority=True).is_empty()
    # combined with the corpus filters, and counted per topic the same way
    assert sum(topic_counts(session, RecommendationFilter(has_note=True)).values()) >= 1


def test_annotation_on_a_sub_item_lifts_its_parent(session):
    sub = session.scalar(select(schema.Recommendation).where(schema.Recommendation.parent_id.is_not(None)))
    parent = session.get(schema.Recommendation, sub.parent_id)
    key = recommendation_keys(session, [sub.id])[sub.id]
    a.set_note(session, key, "on the sub-item")
    assert _numbers(session, RecommendationFilter(has_note=True)) == [parent.number]


def test_rows_carry_markers_fetched_per_page(session):
    k18 = _key(session, "18")
    a.set_note(session, k18, "n")
    a.set_position(session, [k18], "needs_instructions")
    a.set_priority(session, [k18], True)
    briefing = a.briefing_collection_id(session)
    a.add_to_collection(session, briefing, [k18])
    rows = recommendation_rows(session, [_id(session, "18"), _id(session, "19")])
    marked, plain = rows[_id(session, "18")], rows[_id(session, "19")]
    assert marked.key == k18
    assert marked.markers.note and marked.markers.priority
    assert marked.markers.position == "needs_instructions" and marked.markers.collection_ids == (briefing,)
    assert plain.markers == a.NO_MARKERS


def test_detail_shows_curated_links_and_omits_rejected(session):
    rid = _id(session, "18")
    before = recommendation_detail(session, rid)
    key = (before.document_key, "18")
    automatic = next(item for item in before.links if item.shown and item.recommendation_number == "18")
    assert automatic.source == "automatic" and automatic.recommendation_spans
    # a remark of the same report not linked to 18
    linked = {item.remark_id for item in before.links}
    other = session.execute(
        select(schema.Remark.id, schema.Paragraph.number, schema.Remark.position)
        .join(schema.Paragraph, schema.Paragraph.id == schema.Remark.paragraph_id)
        .where(schema.Remark.id.not_in(linked), schema.Remark.speaker_kind != "text")
    ).first()
    a.add_curated_link(session, key, other.number, other.position)
    a.reject_link(session, key, automatic.paragraph_number, automatic.remark_position)
    after = recommendation_detail(session, rid)
    curated = [item for item in after.links if item.source == "curated"]
    assert [item.remark_id for item in curated] == [other.id] and curated[0].shown
    assert automatic.remark_id not in {item.remark_id for item in after.links}
    assert [item.remark_id for item in after.rejected] == [automatic.remark_id]
    kept = [item for item in after.links if item.source == "automatic" and item.shown]
    assert all(item.recommendation_spans or not item.evidence for item in kept)
    # curating an automatic link keeps its evidence spans
    again = next(item for item in after.links if item.source == "automatic")
    a.add_curated_link(session, key, again.paragraph_number, again.remark_position)
    marked = next(item for item in recommendation_detail(session, rid).links if item.remark_id == again.remark_id)
    assert marked.source == "curated" and marked.remark_spans == again.remark_spans


def test_report_view_knows_each_paragraphs_remarks(session):
    document_id = session.scalar(select(schema.Document.id))
    report = report_view(session, document_id)
    assert report.document_key
    paragraph = next(block for block in report.blocks if block.kind == "paragraph" and len(block.remarks) > 1)
    positions = [position for position, _, _ in paragraph.remarks]
    assert positions == sorted(positions)
    assert all(0 <= start < end <= len(paragraph.text) for _, start, end in paragraph.remarks)
