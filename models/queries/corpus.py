"""Read queries for the views: each takes a Session and returns plain frozen rows.

Views never see ORM objects or SQL; they call these and get dataclasses. Row
fetching is by ids, in pages (`recommendation_rows`), with a fixed number of
queries per page whatever its size: never one query per row. Filtering and
sorting live in `models.queries.filters`; remarks behind recommendations in
`models.queries.remarks`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import TextClause, distinct, func, select, text
from sqlalchemy.orm import Session

from models.annotations.common import RecommendationKey
from models.annotations.queries import NO_MARKERS, AnnotationMarkers, marker_columns, markers_of
from models.db import schema
from models.db.engine_sql import dialect, id_values


@dataclass(frozen=True)
class SectionNode:
    """A node of the document > chapter > section > recommendation/paragraph tree.

    ``count`` is the number of top-level recommendations and paragraphs below a
    document, chapter or section (0 for leaves). ``ref`` is the row id of what the
    node stands for (document, section, recommendation or paragraph).
    """

    key: tuple  # ("doc", id), ("section", id), ("recommendation", id) or ("paragraph", id)
    parent: tuple | None
    title: str
    kind: str = "section"  # doc / chapter / section / recommendation / paragraph
    count: int = 0

    @property
    def ref(self) -> int:
        return self.key[1]


@dataclass(frozen=True)
class TopicChip:
    key: str
    label: str
    position: int  # the topic's place in the lexicon: views pick a colour from it


@dataclass(frozen=True)
class RecommendationRow:
    """One line of the recommendation table (counts include the sub-items' links)."""

    id: int
    document_id: int
    number: str
    section_label: str
    section_title: str
    text: str
    topics: tuple[TopicChip, ...]
    remark_count: int  # distinct remarks behind shown links
    speaker_count: int  # distinct speakers of those remarks (each anonymous remark counts once)
    sub_item_count: int
    document_key: str = ""
    markers: AnnotationMarkers = NO_MARKERS  # the delegate's annotations, fetched with the page

    @property
    def key(self) -> RecommendationKey:
        return RecommendationKey(self.document_key, self.number)


@dataclass(frozen=True)
class DocumentRow:
    id: int
    key: str
    title: str
    group: str = ""  # the working group ("Working Group on Firearms"), from the title
    year: int | None = None  # of the meeting's first day


@dataclass(frozen=True)
class TopicRow:
    key: str
    label: str
    description: str
    position: int
    in_library: bool = True  # some recommendation of the library carries it


@dataclass(frozen=True)
class SpeakerRow:
    """A named speaker (panellist, the Chair, the Secretariat) with the remarks they made."""

    label: str
    kind: str
    function: str | None
    group: str | None
    state: str | None
    remark_count: int


@dataclass(frozen=True)
class OriginRow:
    """A State or a regional group that stands behind remarks (through a speaker or "on behalf of")."""

    kind: str  # "state" or "group"
    name: str
    remark_count: int


@dataclass(frozen=True)
class LibraryCounts:
    documents: int
    recommendations: int  # top-level
    sub_items: int
    paragraphs: int
    remarks: int
    shown_links: int


def document_nodes(session: Session) -> list[SectionNode]:
    """The top of the tree: one node per document, with its count of recommendations and paragraphs."""
    rec, par, doc = schema.Recommendation, schema.Paragraph, schema.Document
    counts: dict[int, int] = {}
    for query in (
        select(rec.document_id, func.count()).where(rec.parent_id.is_(None)).group_by(rec.document_id),
        select(par.document_id, func.count()).group_by(par.document_id),
    ):
        for document_id, n in session.execute(query):
            counts[document_id] = counts.get(document_id, 0) + n
    return [
        SectionNode(("doc", document_id), None, title, "doc", counts.get(document_id, 0))
        for document_id, title in session.execute(select(doc.id, doc.title).order_by(doc.position))
    ]


def document_tree(session: Session, document_id: int) -> list[SectionNode]:
    """One document's chapters, sections, recommendations and paragraphs, parents first, in reading order."""
    rec, par, sec = schema.Recommendation, schema.Paragraph, schema.Section
    sections = session.execute(
        select(sec.id, sec.parent_id, sec.label, sec.title).where(sec.document_id == document_id).order_by(sec.position)
    ).all()
    leaves: dict[int, list[SectionNode]] = {}
    for row in session.execute(
        select(rec.id, rec.section_id, rec.number, rec.text)
        .where(rec.document_id == document_id, rec.parent_id.is_(None))
        .order_by(rec.position)
    ):
        leaves.setdefault(row.section_id, []).append(
            SectionNode(
                ("recommendation", row.id), ("section", row.section_id), f"{row.number}.  {_shorten(row.text)}", "recommendation"
            )
        )
    for row in session.execute(
        select(par.id, par.section_id, par.number, par.text).where(par.document_id == document_id).order_by(par.number)
    ):
        leaves.setdefault(row.section_id, []).append(
            SectionNode(("paragraph", row.id), ("section", row.section_id), f"¶ {row.number}  {_shorten(row.text)}", "paragraph")
        )
    counts = {section.id: len(leaves.get(section.id, [])) for section in sections}
    for section in reversed(sections):  # children come after their parent: add them up bottom-up
        if section.parent_id in counts:
            counts[section.parent_id] += counts[section.id]
    nodes: list[SectionNode] = []
    for section in sections:
        parent = ("section", section.parent_id) if section.parent_id else ("doc", document_id)
        kind = "section" if section.parent_id else "chapter"
        nodes.append(SectionNode(("section", section.id), parent, f"{section.label}. {section.title}", kind, counts[section.id]))
        nodes.extend(leaves.get(section.id, []))
    return nodes


def section_tree(session: Session, expand_up_to: int | None = None) -> list[SectionNode]:
    """The tree, parents before children, in reading order.

    With ``expand_up_to``, a library of more documents than that gets its documents only
    (their contents are for `document_tree` on demand).
    """
    nodes = document_nodes(session)
    if expand_up_to is None or len(nodes) <= expand_up_to:
        for document in list(nodes):
            nodes.extend(document_tree(session, document.ref))
    return nodes


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# A page of table rows in two plain statements (rows with their markers; topic chips): the
# table fetches one on the GUI thread as the user types, so no ORM statement is built for it.
@lru_cache(maxsize=4)
def _page_statements(dialect_name: str) -> tuple[TextClause, TextClause]:
    ids = id_values(dialect_name, "ids")
    rows = text(
        "SELECT r.id, r.document_id, r.number, s.label, s.title, r.text, r.shown_remarks, r.shown_speakers, "
        "(SELECT count(*) FROM recommendation c WHERE c.parent_id = r.id), d.key, "
        + marker_columns("d.key", "r.number")
        + f" FROM {ids} AS page JOIN recommendation r ON r.id = page.value "
        "JOIN section s ON s.id = r.section_id JOIN document d ON d.id = r.document_id"
    )
    return rows, text(_PAGE_TOPICS_SQL.replace("{ids}", ids))


_PAGE_TOPICS_SQL = (
    "WITH page(id) AS (SELECT value FROM {ids} AS given), "
    "member(root, id) AS (SELECT id, id FROM page "
    "UNION ALL SELECT x.parent_id, x.id FROM recommendation x JOIN page ON x.parent_id = page.id) "
    "SELECT DISTINCT member.root, t.key, t.label, t.position FROM member "
    "JOIN topic_tag tt ON tt.recommendation_id = member.id JOIN topic t ON t.id = tt.topic_id "
    "ORDER BY member.root, t.position"
)


def recommendation_rows(session: Session, ids: Sequence[int]) -> dict[int, RecommendationRow]:
    """Rows for the given top-level recommendation ids, with their annotation markers.

    Two statements, whatever the number of ids.
    """
    if not ids:
        return {}
    packed = {"ids": json.dumps(list(ids))}
    page_rows, page_topics = _page_statements(dialect(session))
    topics: dict[int, list[TopicChip]] = {}
    for rid, key, label, position in session.execute(page_topics, packed):
        topics.setdefault(rid, []).append(TopicChip(key, label, position))
    return {
        row[0]: RecommendationRow(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            tuple(topics.get(row[0], ())),
            row[6],
            row[7],
            row[8],
            row[9],
            markers_of(row[10:]),
        )
        for row in session.execute(page_rows, packed)
    }


def recommendation_keys(session: Session, ids: Sequence[int]) -> dict[int, RecommendationKey]:
    """The stable (document key, number) of recommendations, by id (one query)."""
    rec = schema.Recommendation
    rows = session.execute(
        select(rec.id, schema.Document.key, rec.number)
        .join(schema.Document, schema.Document.id == rec.document_id)
        .where(rec.id.in_(list(ids)))
    )
    return {rid: RecommendationKey(key, number) for rid, key, number in rows}


def recommendation_ids(session: Session, keys: Sequence[Sequence[str]]) -> dict[RecommendationKey, int]:
    """Ids of the recommendations named by stable keys (those in the library), one query."""
    rec = schema.Recommendation
    wanted = {RecommendationKey(*key) for key in keys}
    numbers = sorted({key.number for key in wanted})
    rows = session.execute(
        select(rec.id, schema.Document.key, rec.number)
        .join(schema.Document, schema.Document.id == rec.document_id)
        .where(rec.number.in_(numbers))
    )
    return {key: rid for rid, document_key, number in rows if (key := RecommendationKey(document_key, number)) in wanted}


def top_level_id(session: Session, recommendation_id: int) -> int | None:
    """The top-level recommendation of a recommendation or sub-item (None if it does not exist)."""
    rec = schema.Recommendation
    return session.scalar(select(func.coalesce(rec.parent_id, rec.id)).where(rec.id == recommendation_id))


def working_group(title: str) -> str:
    """ "Report on the meeting of the Working Group on Firearms held in ..." -> "Working Group on Firearms"."""
    match = re.search(r"\bmeeting of (?:the )?(.+?)(?: held\b|,|$)", title, flags=re.IGNORECASE)
    return match.group(1).strip() if match else ""


def documents(session: Session) -> list[DocumentRow]:
    return [
        DocumentRow(d.id, d.key, d.title, working_group(d.title), d.start_date.year if d.start_date else None)
        for d in session.scalars(select(schema.Document).order_by(schema.Document.position))
    ]


def topics(session: Session) -> list[TopicRow]:
    """Every topic of the lexicon, saying whether any recommendation of the library carries it."""
    used = set(session.scalars(select(schema.TopicTag.topic_id).where(schema.TopicTag.recommendation_id.is_not(None)).distinct()))
    return [
        TopicRow(t.key, t.label, t.description, t.position, t.id in used)
        for t in session.scalars(select(schema.Topic).order_by(schema.Topic.position))
    ]


def speakers(session: Session) -> list[SpeakerRow]:
    """Named speakers behind any remark, by name."""
    remark, participant = schema.Remark, schema.Participant
    query = (
        select(
            remark.speaker_label,
            func.min(remark.speaker_kind),
            func.max(participant.function),
            func.max(participant.group_name),
            func.max(participant.state),
            func.count(remark.id),
        )
        .outerjoin(participant, participant.id == remark.participant_id)
        .where(remark.speaker_kind.in_(("panellist", "chair", "secretariat", "delegation")))
        .group_by(remark.speaker_label)
        .order_by(func.lower(remark.speaker_label))
    )
    return [SpeakerRow(*row) for row in session.execute(query)]


def origins(session: Session) -> list[OriginRow]:
    """States and regional groups behind remarks: speakers' States and groups, and "on behalf of"."""
    remark, participant = schema.Remark, schema.Participant
    rows: list[OriginRow] = []
    states: dict[str, int] = {}
    for name, count in session.execute(
        select(participant.state, func.count(distinct(remark.id)))
        .join(remark, remark.participant_id == participant.id)
        .where(participant.state.is_not(None))
        .group_by(participant.state)
    ):
        states[name] = states.get(name, 0) + count
    for name, count in session.execute(
        select(remark.on_behalf_of, func.count())
        .where(remark.on_behalf_of.is_not(None), remark.on_behalf_of != "")
        .group_by(remark.on_behalf_of)
    ):
        states[name] = states.get(name, 0) + count
    rows.extend(OriginRow("state", name, count) for name, count in sorted(states.items()))
    for name, count in session.execute(
        select(participant.group_name, func.count(distinct(remark.id)))
        .join(remark, remark.participant_id == participant.id)
        .where(participant.group_name.is_not(None), participant.group_name != "")
        .group_by(participant.group_name)
        .order_by(participant.group_name)
    ):
        rows.append(OriginRow("group", name, count))
    return rows


def library_counts(session: Session) -> LibraryCounts:
    rec = schema.Recommendation
    return LibraryCounts(
        documents=session.scalar(select(func.count()).select_from(schema.Document)) or 0,
        recommendations=session.scalar(select(func.count()).where(rec.parent_id.is_(None))) or 0,
        sub_items=session.scalar(select(func.count()).where(rec.parent_id.is_not(None))) or 0,
        paragraphs=session.scalar(select(func.count()).select_from(schema.Paragraph)) or 0,
        remarks=session.scalar(select(func.count()).select_from(schema.Remark)) or 0,
        shown_links=session.scalar(select(func.count()).select_from(schema.Link).where(schema.Link.shown.is_(True))) or 0,
    )
