"""Tabular exports for people who script (``xref-explorer export KIND``).

Each kind is a fixed list of columns and a function yielding dict rows. The
column names are an interface: scripts depend on them, so never rename one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from models.db import schema
from models.queries import overview
from models.queries.behind import CURATED, remarks_behind
from models.queries.mentions import mention_export_rows

Row = dict[str, object]


@dataclass(frozen=True)
class ExportKind:
    name: str
    columns: tuple[str, ...]
    rows: Callable[[Session], Iterator[Row]]


def section_rows(session: Session) -> Iterator[Row]:
    parent = aliased(schema.Section)
    query = (
        select(schema.Document.key, schema.Section.label, schema.Section.title, parent.label)
        .join(schema.Document, schema.Section.document_id == schema.Document.id)
        .outerjoin(parent, schema.Section.parent_id == parent.id)
        .order_by(schema.Document.position, schema.Section.position)
    )
    for key, label, title, parent_label in session.execute(query):
        yield {"document": key, "label": label, "title": title, "parent": parent_label or ""}


def topic_keys_by_recommendation(session: Session) -> dict[int, list[str]]:
    query = (
        select(schema.TopicTag.recommendation_id, schema.Topic.key)
        .join(schema.Topic)
        .where(schema.TopicTag.recommendation_id.is_not(None))
        .order_by(schema.TopicTag.recommendation_id, schema.Topic.position)
    )
    keys: dict[int, list[str]] = {}
    for recommendation_id, key in session.execute(query):
        keys.setdefault(recommendation_id, []).append(key)
    return keys


def export_recommendation_rows(session: Session) -> Iterator[Row]:
    parent = aliased(schema.Recommendation)
    topics = topic_keys_by_recommendation(session)
    query = (
        select(schema.Recommendation, schema.Document.key, schema.Section.label, parent.number)
        .join(schema.Document, schema.Recommendation.document_id == schema.Document.id)
        .join(schema.Section, schema.Recommendation.section_id == schema.Section.id)
        .outerjoin(parent, schema.Recommendation.parent_id == parent.id)
        .order_by(schema.Document.position, schema.Recommendation.position)
    )
    for recommendation, key, section, parent_number in session.execute(query):
        yield {
            "document": key,
            "number": recommendation.number,
            "parent": parent_number or "",
            "section": section,
            "text": recommendation.text,
            "topics": ";".join(topics.get(recommendation.id, [])),
        }


def paragraph_speakers(session: Session) -> dict[int, list[str]]:
    """Per paragraph id: resolved speakers' names and anonymous quantifiers, in reading order, and the
    delegations a paragraph lists as making statements."""
    query = select(
        schema.Remark.paragraph_id, schema.Remark.speaker_kind, schema.Remark.speaker_label, schema.Remark.quantifier
    ).order_by(schema.Remark.paragraph_id, schema.Remark.position)
    speakers: dict[int, list[str]] = {}
    for paragraph_id, kind, label, quantifier in session.execute(query):
        name = quantifier if kind == "anonymous" else label
        if kind == "text" or not name:
            continue
        names = speakers.setdefault(paragraph_id, [])
        if name not in names:
            names.append(name)
    # "Statements were made by ... Finland, Mexico ...": the delegations a paragraph lists as speaking
    listed = select(schema.Statement.paragraph_id, schema.Statement.name).order_by(schema.Statement.id)
    for paragraph_id, name in session.execute(listed):
        names = speakers.setdefault(paragraph_id, [])
        if name not in names:
            names.append(name)
    return speakers


def paragraph_rows(session: Session) -> Iterator[Row]:
    speakers = paragraph_speakers(session)
    query = (
        select(schema.Paragraph, schema.Document.key, schema.Section.label)
        .join(schema.Document, schema.Paragraph.document_id == schema.Document.id)
        .join(schema.Section, schema.Paragraph.section_id == schema.Section.id)
        .order_by(schema.Document.position, schema.Paragraph.number)
    )
    for paragraph, key, section in session.execute(query):
        yield {
            "document": key,
            "number": paragraph.number,
            "section": section,
            "speakers": ";".join(speakers.get(paragraph.id, [])),
            "text": paragraph.text,
        }


def participant_rows(session: Session) -> Iterator[Row]:
    query = (
        select(schema.Participant, schema.Document.key)
        .join(schema.Document, schema.Participant.document_id == schema.Document.id)
        .order_by(schema.Document.position, schema.Participant.position)
    )
    for participant, key in session.execute(query):
        items = list(dict.fromkeys(seat.agenda_item.number for seat in participant.seats))
        yield {
            "document": key,
            "name": participant.name,
            "kind": participant.kind,
            "state": participant.state or "",
            "group": participant.group_name or "",
            "function": participant.function or "",
            "agenda_items": ";".join(items),
        }


def export_link_rows(session: Session) -> Iterator[Row]:
    """The links shown by default, one row per recommendation-paragraph pair.

    Curated links are included and rejected automatic links left out (`models.queries.behind`).
    Several remarks of one paragraph behind the same recommendation collapse into
    one row holding the best score, all their speakers and all evidence.
    """
    recommendations = session.execute(
        select(schema.Recommendation.id, schema.Recommendation.number, schema.Document.key)
        .join(schema.Document, schema.Recommendation.document_id == schema.Document.id)
        .order_by(schema.Document.position, schema.Recommendation.position)
    ).all()
    behind = remarks_behind(session, [rec_id for rec_id, _, _ in recommendations])
    for rec_id, number, key in recommendations:
        pairs: dict[int, Row] = {}
        for remark in behind.get(rec_id, []):
            row = pairs.setdefault(
                remark.paragraph,
                {
                    "document": key,
                    "recommendation": number,
                    "paragraph": remark.paragraph,
                    "score": 0.0,
                    "source": remark.source,
                    "speakers": [],
                    "evidence": [],
                },
            )
            row["score"] = max(row["score"], remark.score)
            if remark.source == CURATED:
                row["source"] = CURATED
            for values, new in ((row["speakers"], [remark.speaker]), (row["evidence"], remark.evidence)):
                values.extend(value for value in new if value and value not in values)
        for row in pairs.values():
            yield {
                **row,
                "score": f"{row['score']:.3f}",
                "speakers": ";".join(row["speakers"]),
                "evidence": ";".join(row["evidence"]),
            }


EXPORTS: dict[str, ExportKind] = {
    kind.name: kind
    for kind in (
        ExportKind("sections", ("document", "label", "title", "parent"), section_rows),
        ExportKind("recommendations", ("document", "number", "parent", "section", "text", "topics"), export_recommendation_rows),
        ExportKind("paragraphs", ("document", "number", "section", "speakers", "text"), paragraph_rows),
        ExportKind("participants", ("document", "name", "kind", "state", "group", "function", "agenda_items"), participant_rows),
        ExportKind(
            "links", ("document", "recommendation", "paragraph", "score", "source", "speakers", "evidence"), export_link_rows
        ),
        ExportKind(
            "mentions", ("document", "kind", "key", "label", "article", "recommendation", "paragraph"), mention_export_rows
        ),
        ExportKind("overview", overview.CSV_COLUMNS, overview.group_rows),
    )
}
