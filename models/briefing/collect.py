"""Filling a `Briefing` from the library: a selection, a filtered table, or a collection.

The writers (`docx_export`, `briefing_csv`) take the result and never touch the
database. Selection helpers resolve what the command line and the GUI name
(a collection) into recommendation ids, in order; filters live in `models.queries.filters`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from models.annotations.common import PATH_SEPARATOR
from models.annotations.queries import node_paths
from models.briefing.contents import (
    Briefing,
    BriefingItem,
    BriefingLink,
    BriefingRemark,
    EmptyBriefingError,
    MentionEntry,
    SubItemAnnotations,
)
from models.db import schema
from models.db.user_tables import UserCollection, UserCollectionItem, UserNote, UserPosition, UserPriority
from models.queries.behind import remarks_behind
from models.queries.mentions import KIND_LABELS, mention_order, mentions_behind


class UnknownCollectionError(ValueError):
    """No collection, or several, answer to that name; the message lists the collections' paths."""


def ids_for_collection(session: Session, name: str) -> list[int]:
    """The recommendations of the collection at ``name``, in the collection's order.

    ``name`` is a path from the top level, as exports and merges write it ("Firearms / Notes"),
    compared whatever the case, as sibling names are; a bare name that no top-level collection has
    is looked for at every depth, and refused when several collections have it (names repeat under
    different parents): the message lists their paths.
    """
    paths = node_paths(session, UserCollection)
    wanted = " ".join(name.split()).casefold()
    at_path = [id_ for id_, path in paths.items() if path.casefold() == wanted]
    if not at_path and PATH_SEPARATOR not in wanted:
        at_path = [id_ for id_, path in paths.items() if path.rsplit(PATH_SEPARATOR, 1)[-1].casefold() == wanted]
    if len(at_path) > 1:
        listed = sorted((paths[id_] for id_ in at_path), key=str.casefold)
        raise UnknownCollectionError(
            f"{len(listed)} collections are named {name!r} ({', '.join(listed)}); give the path of one, e.g. {listed[0]!r}."
        )
    if not at_path:
        listed = ", ".join(sorted(paths.values(), key=str.casefold)) or "none"
        raise UnknownCollectionError(f"There is no collection named {name!r} (collections: {listed}).")
    return ids_for_collection_id(session, at_path[0])


def ids_for_collection_id(session: Session, collection_id: int) -> list[int]:
    """The recommendations of one collection (not its sub-collections) in the library, in the collection's order."""
    rows = session.execute(
        select(schema.Recommendation.id)
        .join(schema.Document, schema.Recommendation.document_id == schema.Document.id)
        .join(
            UserCollectionItem,
            (UserCollectionItem.document_key == schema.Document.key)
            & (UserCollectionItem.number == schema.Recommendation.number),
        )
        .where(UserCollectionItem.collection_id == collection_id)
        .order_by(UserCollectionItem.position)
    )
    return [row[0] for row in rows]


def _top_level(session: Session, ids: Sequence[int]) -> tuple[list[int], set[int]]:
    """The recommendations of ``ids`` in order, a sub-item counting as its recommendation; and the sub-items
    named without their recommendation (a collection holding "47g" but not "47")."""
    query = select(schema.Recommendation.id, schema.Recommendation.parent_id).where(schema.Recommendation.id.in_(ids))
    parents = {rec_id: parent_id for rec_id, parent_id in session.execute(query)}
    wanted = set(ids)
    named = {i for i in ids if parents.get(i) is not None and parents[i] not in wanted}
    return list(dict.fromkeys(parents[i] or i for i in ids if i in parents)), named


def collect_briefing(
    session: Session,
    recommendation_ids: Sequence[int],
    *,
    grouping: str = "section",
    filters: Sequence[str] = (),
    title: str = "Briefing",
    today: dt.date | None = None,
    at_a_glance: bool = False,
) -> Briefing:
    """A briefing on ``recommendation_ids`` (sub-items count as their recommendation), in the given order.

    A recommendation is printed whole, with every sub-item; the sub-items named in ``recommendation_ids``
    without it are listed as its `BriefingItem.selected`. Each sub-item's own note, position and priority travel with
    it (`BriefingItem.subitem_annotations`). With ``at_a_glance``, it also holds the Overview's matrices of these recommendations (`models.queries.overview`).
    """
    ids, named = _top_level(session, list(recommendation_ids))
    if not ids:
        raise EmptyBriefingError()
    recs = {
        rec.id: (rec, document, section)
        for rec, document, section in session.execute(
            select(schema.Recommendation, schema.Document, schema.Section)
            .join(schema.Document, schema.Recommendation.document_id == schema.Document.id)
            .join(schema.Section, schema.Recommendation.section_id == schema.Section.id)
            .where(schema.Recommendation.id.in_(ids))
        )
    }
    children: dict[int, list[schema.Recommendation]] = {}
    for child in session.scalars(
        select(schema.Recommendation).where(schema.Recommendation.parent_id.in_(ids)).order_by(schema.Recommendation.position)
    ):
        children.setdefault(child.parent_id, []).append(child)
    topics: dict[int, list[tuple[str, str]]] = {}
    for rec_id, key, label in session.execute(
        select(schema.TopicTag.recommendation_id, schema.Topic.key, schema.Topic.label)
        .join(schema.Topic)
        .where(schema.TopicTag.recommendation_id.in_(ids))
        .order_by(schema.Topic.position)
    ):
        topics.setdefault(rec_id, []).append((key, label))
    keys = [(document.key, rec.number) for rec, document, _ in recs.values()]
    keys += [(recs[parent_id][1].key, child.number) for parent_id, kids in children.items() for child in kids]
    notes, positions, priorities = _annotations(session, keys)
    all_ids = ids + [child.id for kids in children.values() for child in kids]
    behind = remarks_behind(session, all_ids)

    items = []
    for rec_id in ids:
        rec, document, section = recs[rec_id]
        key = (document.key, rec.number)
        seen: dict[int, BriefingRemark] = {}  # each remark once, with the first link's score (Word)
        links: list[BriefingLink] = []  # every link, under the recommendation or sub-item it links (CSV per link)
        for source in [rec] + children.get(rec_id, []):
            for remark in behind.get(source.id, []):
                linked = BriefingRemark(
                    speaker=remark.speaker,
                    group=remark.group,
                    paragraph=remark.paragraph,
                    text=remark.text,
                    score=remark.score,
                    source=remark.source,
                )
                seen.setdefault(remark.remark_id, linked)
                links.append(BriefingLink(source.number, linked))
        items.append(
            BriefingItem(
                document_key=document.key,
                number=rec.number,
                section=section.label,
                section_title=section.title,
                text=rec.text,
                subitems=tuple((child.number, child.text) for child in children.get(rec_id, [])),
                topics=tuple(topics.get(rec_id, [])),
                position=positions.get(key),
                note=notes.get(key),
                priority=priorities.get(key, False),
                remarks=tuple(sorted(seen.values(), key=lambda r: r.paragraph)),
                subitem_annotations=tuple(
                    SubItemAnnotations(child.number, positions.get(at), notes.get(at), priorities.get(at, False))
                    for child in children.get(rec_id, [])
                    for at in [(document.key, child.number)]
                    if at in positions or at in notes or priorities.get(at)
                ),
                selected=tuple(child.number for child in children.get(rec_id, []) if child.id in named),
                links=tuple(links),
            )
        )
    first = recs[ids[0]][1]
    meeting = first.title if len({recs[i][1].id for i in ids}) == 1 else "Several meetings"
    return Briefing(
        title=title,
        meeting=meeting,
        symbol=first.symbol,
        generated=today or dt.date.today(),
        filters=tuple(filters),
        grouping=grouping,
        items=tuple(items),
        mentions=_mention_index(session, all_ids),
        at_a_glance=_at_a_glance(session, ids) if at_a_glance else (),
    )


def _mention_index(session: Session, recommendation_ids: list[int]) -> tuple[MentionEntry, ...]:
    """What the briefing's recommendations and the remarks behind them name, by kind then name."""
    numbers: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for places in mentions_behind(session, recommendation_ids).values():
        for place in places:
            label, found = numbers.setdefault((place.kind, place.key), (place.label, []))
            if place.recommendation not in found:
                found.append(place.recommendation)
    return tuple(
        MentionEntry(KIND_LABELS.get(kind, kind.title()), key, label, tuple(sorted(found, key=_number_order)))
        for (kind, key), (label, found) in sorted(numbers.items(), key=lambda item: mention_order(*item[0]))
    )


def _number_order(number: str) -> tuple[int, str]:
    digits = "".join(ch for ch in number if ch.isdigit())
    return (int(digits) if digits else 0, number)


def _at_a_glance(session: Session, ids: Sequence[int]) -> tuple:
    from models.queries.overview import count, load_facts  # only when asked for: it reads every link

    return tuple(matrix for matrix in count(load_facts(session), ids).matrices() if matrix.columns)


def _annotations(session: Session, keys: list[tuple[str, str]]) -> tuple[dict, dict, dict]:
    notes, positions, priorities = {}, {}, {}
    for start in range(0, len(keys), 400):
        chunk = keys[start : start + 400]
        for model, store, column in (
            (UserNote, notes, "text"),
            (UserPosition, positions, "position"),
            (UserPriority, priorities, "flag"),
        ):
            where = tuple_(model.document_key, model.number).in_(chunk)
            for row in session.scalars(select(model).where(where)):
                store[(row.document_key, row.number)] = getattr(row, column)
    return notes, positions, priorities
