"""The mentions index, queried both ways: what a text names, and where a name occurs.

Also what a recommendation and the remarks behind it mention (the detail pane's "Mentions", the
briefing's index), the things the Mentions filter offers, and the `mentions` export.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from models.db import schema
from models.engines.mentions import default_catalogue
from models.queries.behind import RemarkBehind, remarks_behind


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


def _rows(session: Session, *conditions) -> list[MentionRow]:
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
        MentionRow(m.kind, m.key, m.label, key, f"para. {p}" if p is not None else f"Recommendation {r}", p, r, m.start, m.end)
        for m, key, p, r in session.execute(query)
    ]


def mentions_in_paragraph(session: Session, document_key: str, number: int) -> list[MentionRow]:
    return _rows(
        session,
        schema.Document.key == document_key,
        schema.Mention.paragraph_id.in_(select(schema.Paragraph.id).where(schema.Paragraph.number == number)),
    )


def mentions_in_recommendation(session: Session, document_key: str, number: str) -> list[MentionRow]:
    return _rows(
        session,
        schema.Document.key == document_key,
        schema.Mention.recommendation_id.in_(select(schema.Recommendation.id).where(schema.Recommendation.number == number)),
    )


def where_mentioned(session: Session, kind: str, key: str) -> list[MentionRow]:
    """Every place a State, organisation, instrument, target or symbol is named."""
    return _rows(session, schema.Mention.kind == kind, schema.Mention.key == key)


# --- what recommendations and the remarks behind them mention ------------------------------

KIND_ORDER = ("instrument", "organisation", "system", "operation", "state", "region", "sdg", "resolution", "symbol")
KIND_LABELS = {
    "instrument": "Instruments and articles",
    "organisation": "Organisations",
    "system": "Systems",
    "operation": "Operations",
    "state": "States",
    "region": "Regions and places",
    "sdg": "Sustainable Development Goals",
    "resolution": "Resolutions",
    "symbol": "Documents",
}


def kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def mention_order(kind: str, key: str) -> tuple[int, str, int]:
    """Kinds in `KIND_ORDER`, names alphabetically, an instrument's articles by number after it."""
    base, _, article = key.partition(" art. ")
    return kind_rank(kind), base.lower(), int(article) if article.isdigit() else 0


def article_of(key: str) -> str:
    """ "Firearms Protocol art. 10" -> "10"; "" for a key without an article."""
    return key.rsplit(" art. ", 1)[1] if " art. " in key else ""


@dataclass(frozen=True)
class MentionPlace:
    """A thing named in a recommendation (``paragraph`` None) or in a remark behind it."""

    kind: str
    key: str
    label: str
    recommendation: str  # the recommendation or sub-item ("18", "47a") the text belongs to or backs
    paragraph: int | None  # the remark's paragraph; None: the recommendation's own text


@dataclass(frozen=True)
class MentionSummary:
    """One thing, with where it is named: "Recommendation 47j", "¶ 23"."""

    kind: str
    key: str
    label: str
    places: tuple[str, ...]


def mentions_behind(
    session: Session, recommendation_ids: Sequence[int], behind: Mapping[int, Sequence[RemarkBehind]] | None = None
) -> dict[int, list[MentionPlace]]:
    """Per recommendation or sub-item id: what its text and the remarks behind it (as the delegate
    curated them, shown by default) mention, in reading order.

    ``behind`` is `remarks_behind` of the same ids, when the caller already has it.
    """
    ids = list(recommendation_ids)
    if not ids:
        return {}
    numbers = dict(
        session.execute(
            select(schema.Recommendation.id, schema.Recommendation.number).where(schema.Recommendation.id.in_(ids))
        ).all()
    )
    found: dict[int, list[MentionPlace]] = {rec_id: [] for rec_id in ids}
    for mention in session.scalars(
        select(schema.Mention)
        .where(schema.Mention.recommendation_id.in_(ids))
        .order_by(schema.Mention.recommendation_id, schema.Mention.start)
    ):
        found[mention.recommendation_id].append(
            MentionPlace(mention.kind, mention.key, mention.label, numbers[mention.recommendation_id], None)
        )
    if behind is None:
        behind = remarks_behind(session, ids)
    remark_ids = {item.remark_id for items in behind.values() for item in items}
    spans = {
        remark_id: (paragraph_id, start, end)
        for remark_id, paragraph_id, start, end in session.execute(
            select(schema.Remark.id, schema.Remark.paragraph_id, schema.Remark.start, schema.Remark.end).where(
                schema.Remark.id.in_(remark_ids)
            )
        )
    }
    in_paragraph: dict[int, list[schema.Mention]] = {}
    for mention in session.scalars(
        select(schema.Mention)
        .where(schema.Mention.paragraph_id.in_({paragraph_id for paragraph_id, _, _ in spans.values()}))
        .order_by(schema.Mention.start)
    ):
        in_paragraph.setdefault(mention.paragraph_id, []).append(mention)
    for rec_id, items in behind.items():
        for item in items:
            paragraph_id, start, end = spans[item.remark_id]
            found[rec_id].extend(
                MentionPlace(m.kind, m.key, m.label, numbers[rec_id], item.paragraph)
                for m in in_paragraph.get(paragraph_id, [])
                if start <= m.start and m.end <= end
            )
    return found


def summarise(places: Sequence[MentionPlace], number: str | None = None) -> tuple[MentionSummary, ...]:
    """One entry per thing, by kind (instruments first) then name; its places in reading order.

    ``number`` is the recommendation shown: its own text is "this recommendation", a sub-item's "(a)".
    """
    gathered: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for place in sorted(places, key=lambda p: (p.paragraph is not None, p.paragraph or 0)):
        if place.paragraph is not None:
            where = f"¶ {place.paragraph}"
        elif number is not None and place.recommendation == number:
            where = "this recommendation"
        elif number is not None and place.recommendation.startswith(number):
            where = place.recommendation
        else:
            where = f"Recommendation {place.recommendation}"
        label, wheres = gathered.setdefault((place.kind, place.key), (place.label, []))
        if where not in wheres:
            wheres.append(where)
    return tuple(
        MentionSummary(kind, key, label, tuple(wheres))
        for (kind, key), (label, wheres) in sorted(gathered.items(), key=lambda item: mention_order(*item[0]))
    )


@dataclass(frozen=True)
class MentionOption:
    """A thing the Mentions filter offers: ``key`` matches it and, for an instrument, its articles."""

    kind: str
    key: str
    label: str


def mention_options(session: Session) -> list[MentionOption]:
    """Everything named in the library, by kind then name; an instrument's articles follow it.

    Read from the (kind, key) index alone, one label looked up per thing: at start-up, for every report.
    """
    named = select(schema.Mention.kind, schema.Mention.key).distinct().subquery()
    other = aliased(schema.Mention)
    label = select(other.label).where(other.kind == named.c.kind, other.key == named.c.key).limit(1).scalar_subquery()
    rows = session.execute(select(named.c.kind, named.c.key, label)).all()
    return sorted((MentionOption(kind, key, label) for kind, key, label in rows), key=lambda o: mention_order(o.kind, o.key))


def mention_condition(key: str):
    """The mention is ``key`` or, for an instrument, one of its articles ("Firearms Protocol art. 10").

    Written so that SQLite searches the (kind, key) index twice (an OR of two index searches): every
    kind with the key, every kind with the key range.
    """
    prefix = f"{key} art. "
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # the first string past every "<key> art. ..."
    kinds = sorted({*KIND_ORDER, *(named.kind for _, named in default_catalogue().aliases)})
    return or_(
        and_(schema.Mention.kind.in_(kinds), schema.Mention.key == key),
        and_(schema.Mention.kind.in_(kinds), schema.Mention.key >= prefix, schema.Mention.key < after),
    )


def mention_export_rows(session: Session) -> Iterator[dict[str, object]]:
    """The `mentions` export: one row per thing named and text naming it, in reading order."""
    paragraph = aliased(schema.Paragraph)
    recommendation = aliased(schema.Recommendation)
    query = (
        select(
            schema.Document.key,
            schema.Mention.kind,
            schema.Mention.key,
            schema.Mention.label,
            recommendation.number,
            paragraph.number,
        )
        .join(schema.Document, schema.Mention.document_id == schema.Document.id)
        .outerjoin(paragraph, schema.Mention.paragraph_id == paragraph.id)
        .outerjoin(recommendation, schema.Mention.recommendation_id == recommendation.id)
        .order_by(
            schema.Document.position,
            recommendation.position.is_(None),
            recommendation.position,
            paragraph.number,
            schema.Mention.start,
            schema.Mention.key,
        )
    )
    seen: set[tuple] = set()
    for document, kind, key, label, number, paragraph_number in session.execute(query):
        row = (document, kind, key, number, paragraph_number)
        if row in seen:
            continue
        seen.add(row)
        yield {
            "document": document,
            "kind": kind,
            "key": key,
            "label": label,
            "article": article_of(key),
            "recommendation": number or "",
            "paragraph": "" if paragraph_number is None else paragraph_number,
        }
