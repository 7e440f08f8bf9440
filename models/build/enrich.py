"""Cross-referencing a stored document: remarks, topics, links, mentions.

`enrich` runs once per document, right after `store.store_report`, inside the
same transaction. It reads the document's rows, runs the pure engines
(`remarks`, `topics`, `linking`, `mentions`) and stores what they find.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from models.db import schema
from models.engines import linking, mentions, remarks, topics
from models.engines.lexical import default_thesaurus
from models.parse.records import CHAIR, PANELLIST

_DELIBERATIONS = re.compile(r"deliberations|discussion", re.IGNORECASE)
_RECOMMENDATIONS = re.compile(r"recommendations", re.IGNORECASE)


def ensure_topics(session: Session, lexicon: topics.Lexicon) -> dict[str, int]:
    """Topic rows for every lexicon topic (added or relabelled as the lexicon says); key -> id."""
    existing = {topic.key: topic for topic in session.scalars(select(schema.Topic))}
    for position, topic in enumerate(lexicon.topics):
        row = existing.get(topic.key)
        if row is None:
            row = schema.Topic(key=topic.key, label=topic.label, description=topic.description, position=position)
            session.add(row)
            existing[topic.key] = row
        else:
            row.label, row.description, row.position = topic.label, topic.description, position
    session.flush()
    return {key: row.id for key, row in existing.items()}


_LINK_COUNTS = """
UPDATE recommendation SET
  shown_remarks = (
    SELECT count(DISTINCT m.id) FROM link l
    JOIN recommendation s ON s.id = l.recommendation_id JOIN remark m ON m.id = l.remark_id
    WHERE l.shown AND m.speaker_kind != 'text' AND (s.id = recommendation.id OR s.parent_id = recommendation.id)),
  shown_speakers = (
    SELECT count(DISTINCT CASE WHEN m.speaker_kind IN ('panellist', 'chair', 'secretariat', 'delegation')
                               THEN m.speaker_label ELSE '#' || m.id END) FROM link l
    JOIN recommendation s ON s.id = l.recommendation_id JOIN remark m ON m.id = l.remark_id
    WHERE l.shown AND m.speaker_kind != 'text' AND (s.id = recommendation.id OR s.parent_id = recommendation.id))
"""


def update_link_counts(connection, document_id: int | None = None) -> None:
    """Store each recommendation's count of remarks and of speakers behind it (a named speaker once,
    each anonymous remark as its own speaker), over links shown by default, sub-items included."""
    if document_id is None:
        connection.execute(text(_LINK_COUNTS))
    else:
        connection.execute(text(_LINK_COUNTS + " WHERE document_id = :d"), {"d": document_id})


# The Overview's facts (`schema.OverviewFact`): the topics of each top-level recommendation (its own and its
# sub-items'), and the remarks behind it through links shown by default by speakers with a regional group or
# a State (the table's filters: `models.queries.filters`).
_OVERVIEW_TOPICS = """
INSERT INTO overview_fact (recommendation_id, topic_id)
SELECT DISTINCT coalesce(r.parent_id, r.id), t.topic_id FROM topic_tag t
JOIN recommendation r ON r.id = t.recommendation_id WHERE {where}
"""
_OVERVIEW_REMARKS = """
INSERT INTO overview_fact (recommendation_id, remark_id, group_name, state)
SELECT DISTINCT coalesce(r.parent_id, r.id), l.remark_id, p.group_name, coalesce(p.state, m.on_behalf_of)
FROM remark m LEFT JOIN participant p ON p.id = m.participant_id
JOIN link l ON l.remark_id = m.id JOIN recommendation r ON r.id = l.recommendation_id
WHERE l.shown AND (m.participant_id IS NOT NULL OR m.on_behalf_of IS NOT NULL) AND {where}
"""


def update_overview_facts(connection, document_id: int | None = None) -> None:
    """Store the Overview's facts again for one document's recommendations (all when ``document_id`` is None)."""
    where, params = ("r.document_id = :d", {"d": document_id}) if document_id is not None else ("1", {})
    if document_id is None:
        connection.execute(text("DELETE FROM overview_fact"))
    else:
        connection.execute(
            text("DELETE FROM overview_fact WHERE recommendation_id IN (SELECT id FROM recommendation WHERE document_id = :d)"),
            params,
        )
    for statement in (_OVERVIEW_TOPICS, _OVERVIEW_REMARKS):
        connection.execute(text(statement.format(where=where)), params)


def _chapter_of(sections: list[schema.Section], pattern: re.Pattern) -> set[int]:
    """Ids of the first chapter whose title matches, and of its sections and sub-sections."""
    for chapter in sections:
        if chapter.parent_id is None and pattern.search(chapter.title):
            found = {chapter.id}
            for section in sections:  # parents come before their children
                if section.parent_id in found:
                    found.add(section.id)
            return found
    return set()


def enrich(session: Session, document: schema.Document) -> None:
    lexicon = topics.default_lexicon()
    topic_ids = ensure_topics(session, lexicon)
    sections = list(
        session.scalars(select(schema.Section).where(schema.Section.document_id == document.id).order_by(schema.Section.position))
    )
    section_label = {s.id: s.label for s in sections}
    paragraphs = list(
        session.scalars(
            select(schema.Paragraph).where(schema.Paragraph.document_id == document.id).order_by(schema.Paragraph.number)
        )
    )
    recommendations = list(
        session.scalars(
            select(schema.Recommendation)
            .where(schema.Recommendation.document_id == document.id)
            .order_by(schema.Recommendation.position)
        )
    )
    participants = list(session.scalars(select(schema.Participant).where(schema.Participant.document_id == document.id)))
    agenda = {
        item.number: item.id
        for item in session.scalars(select(schema.AgendaItem).where(schema.AgendaItem.document_id == document.id))
    }

    # Remarks: who said what in the summary of deliberations.
    deliberation_sections = _chapter_of(sections, _DELIBERATIONS)
    seats = [
        remarks.Seat(seat.agenda_item.number, seat.position, seat.group_name, participant.name)
        for participant in participants
        if participant.kind == PANELLIST
        for seat in participant.seats
    ]
    by_name = {p.name: p for p in participants}
    chair = next((p.name for p in participants if p.kind == CHAIR), None)
    known = [p.name for p in participants if p.kind not in (PANELLIST, CHAIR)]
    records = remarks.attribute(
        [(p.number, p.text) for p in paragraphs if p.section_id in deliberation_sections],
        seats,
        chair=chair,
        known_names=known,
    )
    paragraph_by_number = {p.number: p for p in paragraphs}
    remark_rows = []
    for record in records:
        speaker = record.speaker
        participant = by_name.get(speaker.name) if speaker.name else None
        row = schema.Remark(
            document_id=document.id,
            paragraph_id=paragraph_by_number[record.paragraph].id,
            agenda_item_id=agenda.get(record.agenda_item) if record.agenda_item else None,
            position=record.position,
            start=record.start,
            end=record.end,
            text=record.text,
            speaker_kind=speaker.kind,
            participant_id=participant.id if participant else None,
            speaker_label=speaker.label,
            quantifier=speaker.quantifier,
            on_behalf_of=record.on_behalf_of,
        )
        session.add(row)
        remark_rows.append(row)
    session.flush()

    # Topics, with the matched terms as provenance.
    rec_topics: dict[int, frozenset[str]] = {}
    remark_topics: dict[int, frozenset[str]] = {}
    subitem_texts: dict[int, list[str]] = {}
    topic_tags: list[dict] = []
    for row in recommendations:
        if row.parent_id is not None:
            subitem_texts.setdefault(row.parent_id, []).append(row.text)
    for rows, store, column in ((recommendations, rec_topics, "recommendation_id"), (remark_rows, remark_topics, "remark_id")):
        for row in rows:
            # A recommendation with sub-items is about what its sub-items are about.
            text = " ".join([row.text, *subitem_texts.get(row.id, [])]) if column == "recommendation_id" else row.text
            tags = topics.tag_text(text, lexicon)
            store[row.id] = frozenset(tag.key for tag in tags)
            topic_tags.extend(
                {"topic_id": topic_ids[tag.key], "score": tag.score, "matched": json.dumps(list(tag.matched)), column: row.id}
                for tag in tags
            )
    _insert(session, schema.TopicTag, topic_tags)

    # Links from recommendations to the remarks behind them.
    recommendation_sections = _chapter_of(sections, _RECOMMENDATIONS)
    pairs = linking.align_sections(
        {s.label: s.title for s in sections if s.id in recommendation_sections and s.parent_id},
        {s.label: s.title for s in sections if s.id in deliberation_sections and s.parent_id},
    )
    spoken = [row for row in remark_rows if row.speaker_kind != remarks.NO_SPEAKER]
    paragraph_section = {p.id: section_label[p.section_id] for p in paragraphs}
    found_links = linking.link(
        [linking.RecommendationText(r.id, section_label[r.section_id], r.text, rec_topics[r.id]) for r in recommendations],
        [linking.RemarkText(r.id, paragraph_section[r.paragraph_id], r.text, remark_topics[r.id]) for r in spoken],
        default_thesaurus(),
        pairs,
    )
    _insert(
        session,
        schema.Link,
        [
            {
                "recommendation_id": found.recommendation,
                "remark_id": found.remark,
                "score": found.score,
                "shown": found.shown,
                "evidence": json.dumps(list(found.evidence)),
            }
            for found in found_links
        ],
    )
    update_link_counts(session, document.id)
    update_overview_facts(session, document.id)

    # Mentions of States, organisations, instruments, SDG targets and symbols.
    found_mentions = [
        {
            "document_id": document.id,
            column: row.id,
            "kind": mention.kind,
            "key": mention.key,
            "label": mention.label,
            "start": mention.start,
            "end": mention.end,
        }
        for rows, column in ((paragraphs, "paragraph_id"), (recommendations, "recommendation_id"))
        for row in rows
        for mention in mentions.find_mentions(row.text, known)
    ]
    _insert(session, schema.Mention, found_mentions)


def _insert(session: Session, model: type, rows: list[dict]) -> None:
    """Many rows of one table in one executemany (no ORM objects: nothing reads them back)."""
    if rows:
        session.execute(insert(model), rows)
