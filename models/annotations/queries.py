"""Read queries for the annotation views: each takes a Session and returns frozen dataclasses."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, and_, func, literal, select, text, union
from sqlalchemy.orm import Session

from models.annotations.common import BRIEFING, PATH_SEPARATOR, RecommendationKey, key_of, keys_of
from models.db.engine_sql import dialect, pair_values
from models.db.library import unpack_ids
from models.db.schema import Document, Recommendation
from models.db.user_tables import (
    UserCollection,
    UserCollectionItem,
    UserCuratedLink,
    UserHighlight,
    UserNote,
    UserPosition,
    UserPriority,
    UserRejectedLink,
    UserTag,
    UserTagItem,
    matches,
)


@dataclass(frozen=True)
class CollectionNode:
    id: int
    name: str
    parent_id: int | None
    position: int
    count: int  # recommendations directly in this collection
    children: tuple[CollectionNode, ...]
    is_briefing: bool = False
    # Who last changed it (renamed, moved, reordered, added or removed items) and when, and the
    # version an edit passes back (`rename_collection(..., seen_version=)`).
    author: str = ""
    updated: str = ""
    version: int = 0


@dataclass(frozen=True)
class TagNode:
    id: int
    name: str
    parent_id: int | None
    count: int  # recommendations carrying this tag itself
    children: tuple[TagNode, ...]
    author: str = ""  # who last renamed or moved it, and when
    updated: str = ""
    version: int = 0


@dataclass(frozen=True)
class CollectionItem:
    key: RecommendationKey
    position: int
    updated: str
    text: str | None  # the recommendation's text; None when it is not in the library


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    colour: str


@dataclass(frozen=True)
class NamedRef:
    """A collection or tag a recommendation belongs to, with its full path ("Firearms / Marking")."""

    id: int
    path: str


@dataclass(frozen=True)
class LinkRef:
    paragraph: int
    remark_position: int | None
    note: str = ""


@dataclass(frozen=True)
class RecommendationAnnotations:
    key: RecommendationKey
    note: str
    position: str | None
    priority: bool
    highlights: tuple[Highlight, ...]
    tags: tuple[NamedRef, ...]
    collections: tuple[NamedRef, ...]
    curated_links: tuple[LinkRef, ...]
    rejected_links: tuple[LinkRef, ...]
    # Who last wrote the note and the position, when, and the versions an editor passes back
    # (`set_note(..., seen_version=)`) so that it never overwrites someone else's change unseen.
    note_author: str = ""
    note_updated: str = ""
    note_version: int = 0
    position_author: str = ""
    position_updated: str = ""
    position_version: int = 0
    priority_version: int = 0


@dataclass(frozen=True)
class AnnotationMarkers:
    """What a table row shows about a recommendation's annotations."""

    note: bool = False
    position: str | None = None
    priority: bool = False
    highlights: int = 0
    tag_ids: tuple[int, ...] = ()
    collection_ids: tuple[int, ...] = ()
    curated_links: int = 0

    @property
    def any(self) -> bool:
        return self != NO_MARKERS


NO_MARKERS = AnnotationMarkers()


def _counts(session: Session, column: Any) -> dict[int, int]:
    return dict(session.execute(select(column, func.count()).group_by(column)).all())


def collection_tree(session: Session) -> tuple[CollectionNode, ...]:
    """Top-level collections (in order) with their sub-collections and item counts."""
    counts = _counts(session, UserCollectionItem.collection_id)
    rows = session.execute(
        select(
            UserCollection.id,
            UserCollection.name,
            UserCollection.parent_id,
            UserCollection.position,
            UserCollection.author,
            UserCollection.updated,
            UserCollection.version,
        ).order_by(UserCollection.position, UserCollection.id)
    ).all()
    children: dict[int | None, list] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)

    def node(row: Any) -> CollectionNode:
        return CollectionNode(
            id=row.id,
            name=row.name,
            parent_id=row.parent_id,
            position=row.position,
            count=counts.get(row.id, 0),
            children=tuple(node(child) for child in children[row.id]),
            is_briefing=row.parent_id is None and row.name == BRIEFING,
            author=row.author,
            updated=row.updated,
            version=row.version,
        )

    return tuple(node(row) for row in children[None])


def tag_tree(session: Session) -> tuple[TagNode, ...]:
    """Top-level tags (by name) with their sub-tags and counts."""
    counts = _counts(session, UserTagItem.tag_id)
    rows = session.execute(
        select(UserTag.id, UserTag.name, UserTag.parent_id, UserTag.author, UserTag.updated, UserTag.version)
    ).all()
    children: dict[int | None, list] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.name.casefold(), r.id)):
        children[row.parent_id].append(row)

    def node(row: Any) -> TagNode:
        kids = tuple(node(child) for child in children[row.id])
        return TagNode(
            id=row.id,
            name=row.name,
            parent_id=row.parent_id,
            count=counts.get(row.id, 0),
            children=kids,
            author=row.author,
            updated=row.updated,
            version=row.version,
        )

    return tuple(node(row) for row in children[None])


def collection_items(session: Session, collection_id: int) -> tuple[CollectionItem, ...]:
    item = UserCollectionItem
    rows = session.execute(
        select(item.document_key, item.number, item.position, item.updated, Recommendation.text)
        .outerjoin(Document, Document.key == item.document_key)
        .outerjoin(Recommendation, and_(Recommendation.document_id == Document.id, Recommendation.number == item.number))
        .where(item.collection_id == collection_id)
        .order_by(item.position, item.id)
    )
    return tuple(CollectionItem(RecommendationKey(d, n), p, u, t) for d, n, p, u, t in rows)


_AUTHORED = (
    UserCollection,
    UserCollectionItem,
    UserTag,
    UserTagItem,
    UserNote,
    UserPosition,
    UserPriority,
    UserHighlight,
    UserCuratedLink,
    UserRejectedLink,
)


def annotation_authors(session: Session) -> tuple[str, ...]:
    """Everyone who wrote an annotation still in the library (by name), once each; views show
    who changed what only when there is more than one."""
    statement = union(*(select(model.author).where(model.author != "") for model in _AUTHORED))
    return tuple(sorted(session.scalars(statement)))


def node_paths(session: Session, model: Any) -> dict[int, str]:
    """Every collection's or tag's full path, by id."""
    rows = {id_: (name, parent) for id_, name, parent in session.execute(select(model.id, model.name, model.parent_id))}

    def path(id_: int, seen: tuple[int, ...] = ()) -> str:
        name, parent = rows[id_]
        if parent is None or parent not in rows or parent in seen:
            return name
        return path(parent, (*seen, id_)) + PATH_SEPARATOR + name

    return {id_: path(id_) for id_ in rows}


def recommendation_annotations(session: Session, key: Sequence[str]) -> RecommendationAnnotations:
    key = key_of(key)
    note = session.get(UserNote, tuple(key))
    position = session.get(UserPosition, tuple(key))
    priority = session.get(UserPriority, tuple(key))
    highlights = session.execute(
        select(UserHighlight.start, UserHighlight.end, UserHighlight.colour)
        .where(matches(UserHighlight, key))
        .order_by(UserHighlight.start, UserHighlight.end, UserHighlight.colour)
    )
    tag_paths, collection_paths = node_paths(session, UserTag), node_paths(session, UserCollection)
    tag_ids = session.scalars(select(UserTagItem.tag_id).where(matches(UserTagItem, key)))
    collection_ids = session.scalars(select(UserCollectionItem.collection_id).where(matches(UserCollectionItem, key)))

    def links(model: Any) -> tuple[LinkRef, ...]:
        note_column = model.note if model is UserCuratedLink else literal("")
        rows = session.execute(
            select(model.paragraph, model.remark_position, note_column)
            .where(matches(model, key))
            .order_by(model.paragraph, model.remark_position)
        )
        return tuple(LinkRef(p, r, n) for p, r, n in rows)

    return RecommendationAnnotations(
        key=key,
        note=note.text if note else "",
        position=position.position if position else None,
        priority=bool(priority and priority.flag),
        highlights=tuple(Highlight(*row) for row in highlights),
        tags=tuple(sorted((NamedRef(i, tag_paths[i]) for i in tag_ids), key=lambda r: r.path.casefold())),
        collections=tuple(sorted((NamedRef(i, collection_paths[i]) for i in collection_ids), key=lambda r: r.path.casefold())),
        curated_links=links(UserCuratedLink),
        rejected_links=links(UserRejectedLink),
        note_author=note.author if note else "",
        note_updated=note.updated if note else "",
        note_version=note.version if note else 0,
        position_author=position.author if position else "",
        position_updated=position.updated if position else "",
        position_version=position.version if position else 0,
        priority_version=priority.version if priority else 0,
    )


def marker_columns(document_key: str, number: str) -> str:
    """SQL select-list items giving a recommendation's markers, for its key columns in an outer query.

    Seven correlated lookups, each on an index of (document_key, number); `markers_of`
    reads them back. Plain SQL, so that a page of table rows costs one statement.
    """
    match = f"m.document_key = {document_key} AND m.number = {number}"
    return ", ".join(
        (
            f"EXISTS (SELECT 1 FROM user_note m WHERE {match})",
            f"(SELECT m.position FROM user_position m WHERE {match})",
            f"EXISTS (SELECT 1 FROM user_priority m WHERE {match})",
            f"(SELECT count(*) FROM user_highlight m WHERE {match})",
            f"(SELECT group_concat(m.tag_id) FROM user_tag_item m WHERE {match})",
            f"(SELECT group_concat(m.collection_id) FROM user_collection_item m WHERE {match})",
            f"(SELECT count(*) FROM user_curated_link m WHERE {match})",
        )
    )


def markers_of(values: Sequence[Any]) -> AnnotationMarkers:
    """The markers from the seven values of `marker_columns`."""
    note, position, priority, highlights, tags, collections, curated = values
    if not (note or position or priority or highlights or tags or collections or curated):
        return NO_MARKERS
    return AnnotationMarkers(
        note=bool(note),
        position=position,
        priority=bool(priority),
        highlights=highlights,
        tag_ids=tuple(sorted(unpack_ids(tags))),
        collection_ids=tuple(sorted(unpack_ids(collections))),
        curated_links=curated,
    )


@lru_cache(maxsize=4)
def _markers_of_keys(dialect_name: str) -> TextClause:
    source, document_key, number = pair_values(dialect_name, "keys", "k")
    return text(f"SELECT {document_key}, {number}, " + marker_columns(document_key, number) + f" FROM {source}")


def annotation_markers(session: Session, keys: Iterable[Sequence[str]]) -> dict[RecommendationKey, AnnotationMarkers]:
    """Markers for many recommendations (e.g. one table page), in one statement.

    Every key asked for is in the result (`NO_MARKERS` when it has none).
    """
    wanted = keys_of(keys)
    if not wanted:
        return {}
    rows = session.execute(_markers_of_keys(dialect(session)), {"keys": json.dumps([list(key) for key in wanted])})
    return {RecommendationKey(row[0], row[1]): markers_of(row[2:]) for row in rows}
