"""Cross-referencing a report: remarks, topics, links, mentions.

`analyse` runs the pure engines (`remarks`, `topics`, `linking`, `mentions`) on
a parsed report, before anything is stored and outside any write transaction
(an import holds the library's write lock only for its writes). After
`store.store_report`, in the same transaction, `store_analysis` stores what
they found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from models.build.store import StoredReport
from models.db import schema
from models.engines import linking, mentions, remarks, topics
from models.engines.lexical import default_thesaurus
from models.parse import records
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
# a State (the table's filters: `models.queries.remarks.speaks_for`; the Chair speaks for neither).
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
WHERE l.shown AND (m.participant_id IS NOT NULL OR m.on_behalf_of IS NOT NULL) AND m.speaker_kind <> 'chair'
AND {where}
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


def _chapter_of(sections: list[records.Section], pattern: re.Pattern) -> set[str]:
    """Labels of the first chapter whose title matches, and of its sections and sub-sections."""
    for chapter in sections:
        if chapter.parent is None and pattern.search(chapter.title):
            found = {chapter.label}
            for section in sections:  # parents come before their children
                if section.parent in found:
                    found.add(section.label)
            return found
    return set()


@dataclass(frozen=True)
class RecommendationEntry:
    """A recommendation or sub-item of the report, by its place in reading order (``position``)."""

    position: int
    parent: int | None  # the parent's position, for a sub-item
    section: str
    text: str


@dataclass(frozen=True)
class Analysis:
    """What the engines find in a parsed report, before anything is stored.

    Rows point at the report's own parts: a recommendation by its position in reading order, a
    paragraph by its number, a remark by its index in ``remarks``, an agenda item by its number, a
    participant by its index in the report's list. `store_analysis` turns them into the ids the
    stored rows got. Positions and indexes follow the order in which the rows are stored, so that
    the engines see their ids in the same order as they would the stored ids.
    """

    recommendations: tuple[RecommendationEntry, ...]
    remarks: tuple[remarks.RemarkRecord, ...]
    remark_speakers: tuple[int | None, ...]  # per remark: its speaker's participant index
    topic_tags: tuple[tuple[str, int, int, float, tuple[str, ...]], ...]  # (kind, ref, topic key index, score, matched)
    topic_keys: tuple[str, ...]
    links: tuple[linking.LinkRecord, ...]  # recommendation positions -> remark indexes
    mentions: tuple[tuple[str, int, mentions.Mention], ...]  # ("paragraph", number | "recommendation", position, mention)


def recommendation_entries(report: records.Report) -> list[RecommendationEntry]:
    """The report's recommendations and sub-items in reading order, as they are stored."""
    entries: list[RecommendationEntry] = []
    for recommendation in report.recommendations:
        parent = len(entries)
        entries.append(RecommendationEntry(parent, None, recommendation.section, recommendation.text))
        for sub in recommendation.subitems:
            entries.append(RecommendationEntry(len(entries), parent, recommendation.section, sub.text))
    return entries


def with_subitems(entries: Sequence[RecommendationEntry]) -> dict[int, str]:
    """Each entry's text by position, a recommendation's followed by its sub-items' (what it is about)."""
    children: dict[int, list[str]] = {}
    for entry in entries:
        if entry.parent is not None:
            children.setdefault(entry.parent, []).append(entry.text)
    return {entry.position: " ".join([entry.text, *children.get(entry.position, [])]) for entry in entries}


def analyse(report: records.Report, check: Callable[[], None] = lambda: None) -> Analysis:
    """Remarks, topics, links and mentions of a parsed report: the engines' work, reading no library.

    ``check`` is called between engines (it may raise to stop).
    """
    lexicon = topics.default_lexicon()
    sections = sorted(report.sections, key=lambda section: section.order)
    section_of = {paragraph.number: paragraph.section for paragraph in report.paragraphs}
    paragraphs = sorted(report.paragraphs, key=lambda paragraph: paragraph.number)
    recommendations = recommendation_entries(report)
    participants = report.participants
    agenda = {item.number for item in report.agenda_items}

    # Remarks: who said what in the summary of deliberations.
    deliberation_sections = _chapter_of(sections, _DELIBERATIONS)
    seats = [
        remarks.Seat(seat.agenda_item, seat.order, seat.group, participant.name)
        for participant in participants
        if participant.kind == PANELLIST
        for seat in participant.seats
        if seat.agenda_item in agenda
    ]
    by_name = {participant.name: index for index, participant in enumerate(participants)}
    chair = next((p.name for p in participants if p.kind == CHAIR), None)
    known = [p.name for p in participants if p.kind not in (PANELLIST, CHAIR)]
    found_remarks = remarks.attribute(
        [(p.number, p.text) for p in paragraphs if p.section in deliberation_sections],
        seats,
        chair=chair,
        known_names=known,
    )
    speakers = tuple(by_name.get(record.speaker.name) if record.speaker.name else None for record in found_remarks)
    check()

    # Topics, with the matched terms as provenance.
    keys = [topic.key for topic in lexicon.topics]
    key_index = {key: index for index, key in enumerate(keys)}
    whole = with_subitems(recommendations)
    rec_topics: dict[int, frozenset[str]] = {}
    remark_topics: dict[int, frozenset[str]] = {}
    topic_tags = []
    texts = [
        (
            "recommendation",
            rec_topics,
            list(whole.items()),
        ),
        ("remark", remark_topics, [(index, record.text) for index, record in enumerate(found_remarks)]),
    ]
    for kind, store, items in texts:  # a recommendation with sub-items is about what its sub-items are about
        for ref, words in items:
            tags = topics.tag_text(words, lexicon)
            store[ref] = frozenset(tag.key for tag in tags)
            topic_tags.extend((kind, ref, key_index[tag.key], tag.score, tuple(tag.matched)) for tag in tags)
    check()

    # Links from recommendations to the remarks behind them.
    recommendation_sections = _chapter_of(sections, _RECOMMENDATIONS)
    pairs = linking.align_sections(
        {s.label: s.title for s in sections if s.label in recommendation_sections and s.parent},
        {s.label: s.title for s in sections if s.label in deliberation_sections and s.parent},
    )
    found_links = linking.link(
        [linking.RecommendationText(e.position, e.section, e.text, rec_topics[e.position]) for e in recommendations],
        [
            linking.RemarkText(index, section_of[record.paragraph], record.text, remark_topics[index])
            for index, record in enumerate(found_remarks)
            if record.speaker.kind != remarks.NO_SPEAKER
        ],
        default_thesaurus(),
        pairs,
    )
    check()

    # Mentions of States, organisations, instruments, SDG targets and symbols.
    found_mentions = [
        (kind, ref, mention)
        for kind, items in (
            ("paragraph", [(p.number, p.text) for p in paragraphs]),
            ("recommendation", [(e.position, e.text) for e in recommendations]),
        )
        for ref, words in items
        for mention in mentions.find_mentions(words, known)
    ]
    return Analysis(
        tuple(recommendations),
        tuple(found_remarks),
        speakers,
        tuple(topic_tags),
        tuple(keys),
        tuple(found_links),
        tuple(found_mentions),
    )


def store_analysis(session: Session, stored: StoredReport, analysis: Analysis) -> list[int]:
    """Store what `analyse` found for the report stored as ``stored``; returns the remarks' ids (by index)."""
    topic_ids = ensure_topics(session, topics.default_lexicon())
    document_id = stored.document.id
    remark_rows = []
    for record, speaker in zip(analysis.remarks, analysis.remark_speakers, strict=True):
        row = schema.Remark(
            document_id=document_id,
            paragraph_id=stored.paragraphs[record.paragraph],
            agenda_item_id=stored.agenda_items.get(record.agenda_item) if record.agenda_item else None,
            position=record.position,
            start=record.start,
            end=record.end,
            text=record.text,
            speaker_kind=record.speaker.kind,
            participant_id=stored.participants[speaker] if speaker is not None else None,
            speaker_label=record.speaker.label,
            quantifier=record.speaker.quantifier,
            on_behalf_of=record.on_behalf_of,
        )
        session.add(row)
        remark_rows.append(row)
    session.flush()
    remark_ids = [row.id for row in remark_rows]
    ids = {"recommendation": stored.recommendations, "remark": remark_ids}
    _insert(
        session,
        schema.TopicTag,
        [
            {
                "topic_id": topic_ids[analysis.topic_keys[key]],
                "score": score,
                "matched": json.dumps(list(matched)),
                f"{kind}_id": ids[kind][ref],
            }
            for kind, ref, key, score, matched in analysis.topic_tags
        ],
    )
    _insert(
        session,
        schema.Link,
        [
            {
                "recommendation_id": stored.recommendations[found.recommendation],
                "remark_id": remark_ids[found.remark],
                "score": found.score,
                "shown": found.shown,
                "evidence": json.dumps(list(found.evidence)),
            }
            for found in analysis.links
        ],
    )
    update_link_counts(session, document_id)
    update_overview_facts(session, document_id)
    rows = {"paragraph": stored.paragraphs, "recommendation": stored.recommendations}
    _insert(
        session,
        schema.Mention,
        [
            {
                "document_id": document_id,
                f"{kind}_id": rows[kind][ref],
                "kind": mention.kind,
                "key": mention.key,
                "label": mention.label,
                "start": mention.start,
                "end": mention.end,
            }
            for kind, ref, mention in analysis.mentions
        ],
    )
    return remark_ids


def _insert(session: Session, model: type, rows: list[dict]) -> None:
    """Many rows of one table in one executemany (no ORM objects: nothing reads them back)."""
    if rows:
        session.execute(insert(model), rows)
