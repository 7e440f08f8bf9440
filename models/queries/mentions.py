"""The mentions index, queried both ways: what a text names, and where a name occurs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from models.db import schema
@dataclass(frozen=True)
class MentionRow:
    kind: str
    key: str
    label: str
    document_key: str
    where: str  # "para. 12" or "Recommendation 43"
    paragraph: int | None
    recommendation: str | None
    start: int
    end: int


def _rows(session: Session, *conditions) -> list[MentionRow]:  # noqa: ANN002
    paragraph = aliased(schema.Paragraph)
    recommendation = aliased(schema.Recommendation)
    query = (
        select(schema.Mention, schema.Document.key, paragraph.number, recommendation.number)
        .join(schema.Document, schema.Mention.document_id == schema.Document.id)
        .outerjoin(paragraph, schema.Mention.paragraph_id == paragraph.id)
        .outerjoin(recommendation, schema.Mention.recommendation_id == recommendation.id)
        .where(*conditions)
        .order_by(schema.Document.position, recommendation.position, paragraph.number, schema.Mention.start)
    )
    return [
        MentionRow(m.kind, m.key, m.label, key, f"para. {p}" if p is not None else f"Recommendation {r}", p, r,
                   m.start, m.end)
        for m, key, p, r in session.execute(query)
    ]


def mentions_in_paragraph(session: Session, document_key: str, number: int) -> list[MentionRow]:
    return _rows(session, schema.Document.key == document_key, schema.Mention.paragraph_id.in_(
        select(schema.Paragraph.id).where(schema.Paragraph.number == number)))


def mentions_in_recommendation(session: Session, document_key: str, number: str) -> list[MentionRow]:
    return _rows(session, schema.Document.key == document_key, schema.Mention.recommendation_id.in_(
        select(schema.Recommendation.id).where(schema.Recommendation.number == number)))


def where_mentioned(session: Session, kind: str, key: str) -> list[MentionRow]:
    """Every place a State, organisation, instrument, target or symbol is named."""
    return _rows(session, schema.Mention.kind == kind, schema.Mention.key == key)
