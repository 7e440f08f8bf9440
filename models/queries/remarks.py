"""Read queries about remarks: the remarks behind a recommendation, a speaker's or a
State's remarks, and the report as a reader shows it, with backlinks.

Every function takes a Session and returns frozen rows; evidence is decoded and
highlight spans computed here (`models.engines.linking.highlight_spans`), so that views
only render.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from models.db import schema
from models.engines.link_reasons import deliberation_pairs, reasons, recommending_words, strength
from models.engines.linking import highlight_spans
from models.engines.remarks import CHAIR
from models.queries.behind import AUTOMATIC, CURATED, remarks_behind
from models.queries.corpus import TopicChip
from models.queries.mentions import MentionSummary, mentions_behind, summarise

Span = tuple[int, int]


@dataclass(frozen=True)
class SpeakerView:
    label: str  # "Adam Mohammed", "the Secretariat", "one speaker"
    kind: str  # panellist / chair / secretariat / anonymous / text
    function: str | None = None
    group: str | None = None
    state: str | None = None
    on_behalf_of: str | None = None

    @property
    def named(self) -> bool:
        return self.kind in ("panellist", "chair", "secretariat", "delegation")


@dataclass(frozen=True)
class RemarkView:
    """A remark behind a recommendation (or one of its sub-items), with the link's evidence."""

    link_id: int
    recommendation_id: int  # the recommendation or sub-item the link belongs to
    recommendation_number: str
    remark_id: int
    paragraph_id: int
    paragraph_number: int
    start: int  # the remark's place in its paragraph's text
    end: int
    text: str
    speaker: SpeakerView
    score: float
    shown: bool
    source: str  # "automatic" (computed) or "curated" (set by a person)
    evidence: tuple[str, ...]
    remark_spans: tuple[Span, ...]  # evidence in the remark's text
    recommendation_spans: tuple[Span, ...]  # evidence in the linked recommendation's (or sub-item's) text
    remark_position: int = 0  # the remark's place among its paragraph's remarks (stable across rebuilds)
    strength: str = ""  # "strong", "moderate" or "weak" (models.engines.link_reasons); "" for a link made by hand
    reasons: tuple[str, ...] = ()  # why the link was made, in words (models.engines.link_reasons)


@dataclass(frozen=True)
class SubItemView:
    id: int
    number: str
    letter: str
    text: str


@dataclass(frozen=True)
class RecommendationDetail:
    id: int
    document_id: int
    number: str
    section_label: str
    section_title: str
    text: str
    sub_items: tuple[SubItemView, ...]
    topics: tuple[TopicChip, ...]
    links: tuple[RemarkView, ...]  # best first; shown and weaker ones (views filter on ``shown``)
    document_key: str = ""
    rejected: tuple[RemarkView, ...] = ()  # automatic links the delegate rejected (for "restore")
    mentions: tuple[MentionSummary, ...] = ()  # what it and the remarks shown behind it name


@dataclass(frozen=True)
class Backlink:
    recommendation_id: int  # the top-level recommendation
    number: str  # the recommendation or sub-item linked ("18", "47a")
    score: float


@dataclass(frozen=True)
class RemarkLine:
    """A remark listed for a speaker or a State, with the recommendations it backs."""

    remark_id: int
    paragraph_id: int
    paragraph_number: int
    start: int  # the remark's place in its paragraph's text
    end: int
    text: str
    speaker: SpeakerView
    backs: tuple[Backlink, ...]


@dataclass(frozen=True)
class ReportBlock:
    """One block of the report in reading order: a heading, a paragraph or a recommendation."""

    kind: str  # "heading", "paragraph", "recommendation"
    id: int  # section, paragraph or recommendation id
    label: str  # "II.B", "9", "18", "47a"
    text: str
    level: int = 0  # headings: 1 chapter, 2 section; sub-items: 1
    remarks: tuple[tuple[int, int, int], ...] = ()  # paragraphs: (remark position, start, end) in the text


@dataclass(frozen=True)
class ReportView:
    document_id: int
    title: str
    blocks: tuple[ReportBlock, ...]
    backlinks: dict[int, tuple[Backlink, ...]]  # paragraph id -> recommendations its remarks back (shown links)
    document_key: str = ""


def _speaker(remark: schema.Remark, participant: schema.Participant | None) -> SpeakerView:
    label = remark.quantifier if remark.speaker_kind == "anonymous" and remark.quantifier else remark.speaker_label
    if participant is None:
        return SpeakerView(label, remark.speaker_kind, on_behalf_of=remark.on_behalf_of or None)
    return SpeakerView(
        label,
        remark.speaker_kind,
        participant.function or None,
        participant.group_name or None,
        participant.state or None,
        remark.on_behalf_of or None,
    )


def _remark_view(
    rec_id: int,
    rec_number: str,
    remark: schema.Remark,
    participant: schema.Participant | None,
    paragraph_number: int,
    *,
    link_id: int = 0,
    score: float = 1.0,
    shown: bool = True,
    source: str = CURATED,
    evidence: tuple[str, ...] = (),
    remark_spans: tuple[Span, ...] = (),
    recommendation_spans: tuple[Span, ...] = (),
    link_strength: str = "",
    why: tuple[str, ...] = (),
) -> RemarkView:
    """A remark behind ``rec_id``; by default as linked by hand (no link row, no evidence)."""
    return RemarkView(
        link_id,
        rec_id,
        rec_number,
        remark.id,
        remark.paragraph_id,
        paragraph_number,
        remark.start,
        remark.end,
        remark.text,
        _speaker(remark, participant),
        score,
        shown,
        source,
        evidence,
        remark_spans,
        recommendation_spans,
        remark.position,
        link_strength,
        why,
    )


def recommendation_detail(session: Session, recommendation_id: int) -> RecommendationDetail | None:
    """The recommendation with its sub-items, topics and the remarks behind it (shown first, best first).

    Links are the delegate's view (`models.queries.behind.remarks_behind`): curated links
    (origin "curated", always shown) and automatic links that were not rejected;
    the rejected ones are listed apart, in ``rejected``. Evidence spans are those
    of the automatic link (none for a remark only linked by hand).
    """
    rec = session.get(schema.Recommendation, recommendation_id)
    if rec is None:
        return None
    if rec.parent_id is not None:
        rec = session.get(schema.Recommendation, rec.parent_id)
    subs = session.scalars(
        select(schema.Recommendation).where(schema.Recommendation.parent_id == rec.id).order_by(schema.Recommendation.position)
    ).all()
    texts = {rec.id: rec.text} | {s.id: s.text for s in subs}
    numbers = {rec.id: rec.number} | {s.id: s.number for s in subs}
    topic_rows = session.execute(
        select(schema.Topic.key, schema.Topic.label, schema.Topic.position)
        .distinct()
        .join(schema.TopicTag, schema.TopicTag.topic_id == schema.Topic.id)
        .where(schema.TopicTag.recommendation_id.in_(list(texts)))
        .order_by(schema.Topic.position)
    ).all()
    behind = {
        (item.recommendation_id, item.remark_id): item
        for items in remarks_behind(session, list(texts), include_weaker=True).values()
        for item in items
    }
    sections = session.execute(
        select(schema.Section.id, schema.Section.label, schema.Section.title, schema.Section.parent_id).where(
            schema.Section.document_id == rec.document_id
        )
    ).all()
    titles = {section_id: (label, title) for section_id, label, title, _ in sections}
    home = deliberation_pairs(
        tuple((label, title, titles[parent][1] if parent in titles else None) for _, label, title, parent in sections)
    ).get(rec.section.label)
    rows = session.execute(
        select(schema.Link, schema.Remark, schema.Participant, schema.Paragraph.number, schema.Paragraph.section_id)
        .join(schema.Remark, schema.Remark.id == schema.Link.remark_id)
        .join(schema.Paragraph, schema.Paragraph.id == schema.Remark.paragraph_id)
        .outerjoin(schema.Participant, schema.Participant.id == schema.Remark.participant_id)
        .where(schema.Link.recommendation_id.in_(list(texts)))
        .order_by(schema.Link.shown.desc(), schema.Link.score.desc(), schema.Link.id)
    ).all()
    links, rejected, automatic = [], [], set()
    for link, remark, participant, paragraph_number, section_id in rows:
        evidence = tuple(json.loads(link.evidence or "[]"))
        mine = behind.get((link.recommendation_id, remark.id))
        remark_spans = tuple(highlight_spans(remark.text, evidence))
        label, title = titles.get(section_id, ("", ""))
        why = reasons(
            evidence,
            recommending_words(remark.text, remark_spans),
            f"{label}. {title}" if label else None,
            None if home is None else label == home,
        )
        view = _remark_view(
            link.recommendation_id,
            numbers[link.recommendation_id],
            remark,
            participant,
            paragraph_number,
            link_id=link.id,
            score=link.score,
            shown=link.shown,
            source=AUTOMATIC,
            evidence=evidence,
            remark_spans=remark_spans,
            recommendation_spans=tuple(highlight_spans(texts[link.recommendation_id], evidence)),
            link_strength=strength(link.score),
            why=why,
        )
        automatic.add((link.recommendation_id, remark.id))
        if mine is None:
            rejected.append(view)
        elif mine.source == CURATED:
            links.append(replace(view, source=CURATED, shown=True))
        else:
            links.append(view)
    by_hand = [key for key, item in behind.items() if item.source == CURATED and key not in automatic]
    if by_hand:
        remark_rows = session.execute(
            select(schema.Remark, schema.Participant, schema.Paragraph.number)
            .join(schema.Paragraph, schema.Paragraph.id == schema.Remark.paragraph_id)
            .outerjoin(schema.Participant, schema.Participant.id == schema.Remark.participant_id)
            .where(schema.Remark.id.in_([remark_id for _, remark_id in by_hand]))
        ).all()
        found = {remark.id: (remark, participant, number) for remark, participant, number in remark_rows}
        for rec_id, remark_id in by_hand:
            remark, participant, paragraph_number = found[remark_id]
            links.append(_remark_view(rec_id, numbers[rec_id], remark, participant, paragraph_number))
    links.sort(
        key=lambda item: (not item.shown, item.source != CURATED, -item.score, item.paragraph_number, item.remark_position)
    )
    shown_behind = {}
    for (rec_id, _), item in behind.items():
        if item.shown or item.source == CURATED:
            shown_behind.setdefault(rec_id, []).append(item)
    mentioned = [place for places in mentions_behind(session, list(texts), shown_behind).values() for place in places]
    return RecommendationDetail(
        rec.id,
        rec.document_id,
        rec.number,
        rec.section.label,
        rec.section.title,
        rec.text,
        tuple(SubItemView(s.id, s.number, s.letter or "", s.text) for s in subs),
        tuple(TopicChip(*row) for row in topic_rows),
        tuple(links),
        rec.section.document.key,
        tuple(rejected),
        summarise(mentioned, rec.number),
    )


def _backlinks(session: Session, remark_ids: list[int] | None = None, document_id: int | None = None) -> dict:
    """remark id -> paragraph id and Backlinks of shown links (best first per remark)."""
    rec = schema.Recommendation
    query = (
        select(schema.Remark.id, schema.Remark.paragraph_id, rec.id, rec.parent_id, rec.number, schema.Link.score)
        .join(schema.Link, schema.Link.remark_id == schema.Remark.id)
        .join(rec, rec.id == schema.Link.recommendation_id)
        .where(schema.Link.shown.is_(True))
        .order_by(schema.Remark.id, rec.position)
    )
    if remark_ids is not None:
        query = query.where(schema.Remark.id.in_(remark_ids))
    if document_id is not None:
        query = query.where(schema.Remark.document_id == document_id)
    found: dict[int, tuple[int, list[Backlink]]] = {}
    for remark_id, paragraph_id, rid, parent_id, number, score in session.execute(query):
        found.setdefault(remark_id, (paragraph_id, []))[1].append(Backlink(parent_id or rid, number, score))
    return found


def report_view(session: Session, document_id: int) -> ReportView | None:
    """The whole report in reading order, with each paragraph's backlinks."""
    document = session.get(schema.Document, document_id)
    if document is None:
        return None
    sections = session.scalars(
        select(schema.Section).where(schema.Section.document_id == document_id).order_by(schema.Section.position)
    ).all()
    paragraphs: dict[int, list] = {}
    for p in session.scalars(
        select(schema.Paragraph).where(schema.Paragraph.document_id == document_id).order_by(schema.Paragraph.number)
    ):
        paragraphs.setdefault(p.section_id, []).append(p)
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for paragraph_id, position, start, end in session.execute(
        select(schema.Remark.paragraph_id, schema.Remark.position, schema.Remark.start, schema.Remark.end)
        .where(schema.Remark.document_id == document_id)
        .order_by(schema.Remark.paragraph_id, schema.Remark.position)
    ):
        spans.setdefault(paragraph_id, []).append((position, start, end))
    recs: dict[int, list] = {}
    for r in session.scalars(
        select(schema.Recommendation)
        .where(schema.Recommendation.document_id == document_id)
        .order_by(schema.Recommendation.position)
    ):
        recs.setdefault(r.section_id, []).append(r)
    blocks: list[ReportBlock] = []
    for section in sections:
        blocks.append(ReportBlock("heading", section.id, section.label, section.title, 2 if section.parent_id else 1))
        blocks.extend(
            ReportBlock("paragraph", p.id, str(p.number), p.text, remarks=tuple(spans.get(p.id, ())))
            for p in paragraphs.get(section.id, [])
        )
        blocks.extend(
            ReportBlock("recommendation", r.id, r.number, r.text, 1 if r.parent_id else 0) for r in recs.get(section.id, [])
        )
    per_paragraph: dict[int, dict[str, Backlink]] = {}
    for paragraph_id, backs in _backlinks(session, document_id=document_id).values():
        mine = per_paragraph.setdefault(paragraph_id, {})
        for back in backs:
            if back.number not in mine or mine[back.number].score < back.score:
                mine[back.number] = back
    ordered = {pid: tuple(sorted(b.values(), key=lambda b: (b.recommendation_id, b.number))) for pid, b in per_paragraph.items()}
    return ReportView(document.id, document.title, tuple(blocks), ordered, document.key)


def _remark_lines(session: Session, condition) -> list[RemarkLine]:
    rows = session.execute(
        select(schema.Remark, schema.Participant, schema.Paragraph.number)
        .join(schema.Paragraph, schema.Paragraph.id == schema.Remark.paragraph_id)
        .outerjoin(schema.Participant, schema.Participant.id == schema.Remark.participant_id)
        .where(condition)
        .order_by(schema.Remark.document_id, schema.Paragraph.number, schema.Remark.position)
    ).all()
    backs = _backlinks(session, remark_ids=[remark.id for remark, _, _ in rows])
    return [
        RemarkLine(
            remark.id,
            remark.paragraph_id,
            number,
            remark.start,
            remark.end,
            remark.text,
            _speaker(remark, participant),
            tuple(backs.get(remark.id, (0, []))[1]),
        )
        for remark, participant, number in rows
    ]


def remarks_by_speaker(session: Session, label: str) -> list[RemarkLine]:
    """Every remark of a named speaker, in reading order."""
    return _remark_lines(session, schema.Remark.speaker_label == label)


def speaks_for(kind: str, name: str) -> ColumnElement[bool]:
    """Remarks made for a State (``kind`` "state": by its delegates and panellists, or on its behalf)
    or a regional group ("group"), on `schema.Remark` outer-joined to its `schema.Participant`. The
    Chair speaks for the meeting, not for the State or the group the Chair comes from."""
    own = schema.Remark.speaker_kind != CHAIR
    if kind == "group":
        return and_(schema.Participant.group_name == name, own)
    return or_(and_(schema.Participant.state == name, own), schema.Remark.on_behalf_of == name)


def remarks_by_origin(session: Session, kind: str, name: str) -> list[RemarkLine]:
    """Every remark made for a State or a regional group (`speaks_for`)."""
    return _remark_lines(session, speaks_for(kind, name))


def paragraph_document(session: Session, paragraph_id: int) -> int | None:
    return session.scalar(select(schema.Paragraph.document_id).where(schema.Paragraph.id == paragraph_id))
