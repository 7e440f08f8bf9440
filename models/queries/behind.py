"""The remarks behind recommendations, as the delegate has curated them.

Automatic links come from the corpus (`schema.Link`); the delegate adds curated
links (to a whole paragraph or one remark of it) and rejects automatic ones
(`models.annotations`). This module merges the two, once, for every reader:
the detail pane, the briefing, the `links` export.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from models.db import schema
from models.db.user_tables import UserCuratedLink, UserRejectedLink

AUTOMATIC = "automatic"
CURATED = "curated"


@dataclass(frozen=True)
class RemarkBehind:
    recommendation_id: int
    remark_id: int
    paragraph: int
    remark_position: int
    text: str
    speaker_kind: str
    speaker: str  # full name, "the Secretariat", or the quantifier ("one speaker")
    group: str | None  # the panellist's regional group, or whom an anonymous speaker spoke for
    score: float
    source: str  # AUTOMATIC or CURATED
    shown: bool
    evidence: tuple[str, ...]


def _keys(session: Session, recommendation_ids: Sequence[int]) -> dict[tuple[str, str], int]:
    rows = session.execute(
        select(schema.Document.key, schema.Recommendation.number, schema.Recommendation.id)
        .join(schema.Document, schema.Recommendation.document_id == schema.Document.id)
        .where(schema.Recommendation.id.in_(recommendation_ids))
    )
    return {(key, number): rec_id for key, number, rec_id in rows}


def _speaker(remark: schema.Remark, participant: schema.Participant | None) -> tuple[str, str | None]:
    if remark.speaker_kind == "anonymous":
        return remark.quantifier or remark.speaker_label, remark.on_behalf_of
    return remark.speaker_label, participant.group_name if participant else None


def remarks_behind(
    session: Session, recommendation_ids: Sequence[int], *, include_weaker: bool = False
) -> dict[int, list[RemarkBehind]]:
    """For each recommendation id: its curated and (not rejected) automatic remarks, in paragraph order.

    Without ``include_weaker`` only links shown by default are returned; curated
    links always are. A remark both linked automatically and curated appears once, as curated.
    """
    ids = list(recommendation_ids)
    found: dict[int, dict[int, RemarkBehind]] = {rec_id: {} for rec_id in ids}
    if not ids:
        return {}
    keys = _keys(session, ids)
    rejected: set[tuple[int, int, int | None]] = set()
    curated: list[tuple[int, int, int | None]] = []
    for chunk in _chunks(list(keys), 400):
        where = tuple_(UserRejectedLink.document_key, UserRejectedLink.number).in_(chunk)
        for row in session.scalars(select(UserRejectedLink).where(where)):
            rejected.add((keys[(row.document_key, row.number)], row.paragraph, row.remark_position))
        where = tuple_(UserCuratedLink.document_key, UserCuratedLink.number).in_(chunk)
        for row in session.scalars(select(UserCuratedLink).where(where)):
            curated.append((keys[(row.document_key, row.number)], row.paragraph, row.remark_position))

    automatic = (
        select(schema.Link, schema.Remark, schema.Paragraph.number, schema.Participant)
        .join(schema.Remark, schema.Link.remark_id == schema.Remark.id)
        .join(schema.Paragraph, schema.Remark.paragraph_id == schema.Paragraph.id)
        .outerjoin(schema.Participant, schema.Remark.participant_id == schema.Participant.id)
        .where(schema.Link.recommendation_id.in_(ids))
    )
    if not include_weaker:
        automatic = automatic.where(schema.Link.shown.is_(True))
    for link, remark, paragraph, participant in session.execute(automatic):
        rec_id = link.recommendation_id
        if (rec_id, paragraph, None) in rejected or (rec_id, paragraph, remark.position) in rejected:
            continue
        found[rec_id][remark.id] = _behind(
            rec_id, paragraph, remark, participant, link.score, AUTOMATIC, link.shown, tuple(json.loads(link.evidence))
        )

    for rec_id, paragraph, position in curated:
        query = (
            select(schema.Remark, schema.Participant)
            .join(schema.Paragraph, schema.Remark.paragraph_id == schema.Paragraph.id)
            .join(schema.Recommendation, schema.Recommendation.document_id == schema.Paragraph.document_id)
            .outerjoin(schema.Participant, schema.Remark.participant_id == schema.Participant.id)
            .where(schema.Recommendation.id == rec_id, schema.Paragraph.number == paragraph)
        )
        if position is not None:
            query = query.where(schema.Remark.position == position)
        for remark, participant in session.execute(query):
            previous = found[rec_id].get(remark.id)
            score, evidence = (previous.score, previous.evidence) if previous else (1.0, ())
            found[rec_id][remark.id] = _behind(rec_id, paragraph, remark, participant, score, CURATED, True, evidence)
    return {
        rec_id: sorted(by_remark.values(), key=lambda r: (r.paragraph, r.remark_position)) for rec_id, by_remark in found.items()
    }


def _behind(
    rec_id: int,
    paragraph: int,
    remark: schema.Remark,
    participant: schema.Participant | None,
    score: float,
    source: str,
    shown: bool,
    evidence: tuple[str, ...],
) -> RemarkBehind:
    speaker, group = _speaker(remark, participant)
    return RemarkBehind(
        rec_id,
        remark.id,
        paragraph,
        remark.position,
        remark.text,
        remark.speaker_kind,
        speaker,
        group,
        score,
        source,
        shown,
        evidence,
    )


def _chunks(items: list, size: int) -> list[list]:
    return [items[index : index + size] for index in range(0, len(items), size)]
