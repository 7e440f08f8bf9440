"""Tags: the delegate's own nested labels on recommendations (mutators with exact inverses)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import Session

from models.annotations.common import (
    TAG_ITEMS,
    TAGS,
    AnnotationError,
    Changed,
    RecommendationKey,
    ancestors,
    check_sibling_name,
    clean_name,
    keys_of,
    no_change,
    now,
    snapshot_ids,
    snapshot_keys,
)
from models.db.user_tables import UserTag, UserTagItem


@dataclass(frozen=True)
class TagSnapshot:
    """A deleted tag with its tagged recommendations and sub-tags, for `restore_tag`."""

    id: int
    name: str
    parent_id: int | None
    created: str
    updated: str
    items: tuple[tuple[RecommendationKey, str], ...]  # (key, updated)
    children: tuple[TagSnapshot, ...]


def _tag(session: Session, tag_id: int) -> UserTag:
    row = session.get(UserTag, tag_id)
    if row is None:
        raise AnnotationError("That tag no longer exists.")
    return row


def create_tag(session: Session, name: str, parent_id: int | None = None) -> Changed:
    name = clean_name(name, "tag")
    if parent_id is not None:
        _tag(session, parent_id)
    check_sibling_name(session, UserTag, parent_id, name, None, "tag")
    stamp = now()
    row = UserTag(name=name, parent_id=parent_id, created=stamp, updated=stamp)
    session.add(row)
    session.flush()
    return Changed(TAGS, ids=(row.id,), inverse=partial(delete_tag, tag_id=row.id))


def rename_tag(session: Session, tag_id: int, name: str) -> Changed:
    row = _tag(session, tag_id)
    name = clean_name(name, "tag")
    if name == row.name:
        return no_change(TAGS)
    check_sibling_name(session, UserTag, row.parent_id, name, row.id, "tag")
    previous = row.name
    row.name, row.updated = name, now()
    session.flush()
    return Changed(TAGS, ids=(tag_id,), previous=previous, inverse=partial(rename_tag, tag_id=tag_id, name=previous))


def _snapshot_tag(session: Session, row: UserTag) -> TagSnapshot:
    items = session.execute(
        select(UserTagItem.document_key, UserTagItem.number, UserTagItem.updated)
        .where(UserTagItem.tag_id == row.id)
        .order_by(UserTagItem.id)
    )
    children = session.scalars(select(UserTag).where(UserTag.parent_id == row.id).order_by(UserTag.id))
    return TagSnapshot(
        id=row.id,
        name=row.name,
        parent_id=row.parent_id,
        created=row.created,
        updated=row.updated,
        items=tuple((RecommendationKey(d, n), u) for d, n, u in items),
        children=tuple(_snapshot_tag(session, child) for child in children),
    )


def delete_tag(session: Session, tag_id: int) -> Changed:
    """Delete a tag with its sub-tags; ``previous`` is its `TagSnapshot`."""
    snapshot = _snapshot_tag(session, _tag(session, tag_id))
    ids = snapshot_ids(snapshot)
    session.execute(delete(UserTagItem).where(UserTagItem.tag_id.in_(ids)))
    for id_ in reversed(ids):
        session.execute(delete(UserTag).where(UserTag.id == id_))
    return Changed(
        TAGS,
        keys=tuple(dict.fromkeys(snapshot_keys(snapshot))),
        ids=tuple(ids),
        previous=snapshot,
        inverse=partial(restore_tag, snapshot=snapshot),
    )


def restore_tag(session: Session, snapshot: TagSnapshot) -> Changed:
    if session.get(UserTag, snapshot.id) is not None:
        raise AnnotationError(f"The tag “{snapshot.name}” already exists.")
    if snapshot.parent_id is not None:
        _tag(session, snapshot.parent_id)

    def put(node: TagSnapshot) -> None:
        session.execute(
            insert(UserTag).values(
                id=node.id, name=node.name, parent_id=node.parent_id, created=node.created, updated=node.updated
            )
        )
        if node.items:
            session.execute(
                insert(UserTagItem),
                [{"tag_id": node.id, "document_key": k.document_key, "number": k.number, "updated": u}
                 for k, u in node.items],
            )
        for child in node.children:
            put(child)

    put(snapshot)
    return Changed(
        TAGS,
        keys=tuple(dict.fromkeys(snapshot_keys(snapshot))),
        ids=tuple(snapshot_ids(snapshot)),
        inverse=partial(delete_tag, tag_id=snapshot.id),
    )


def move_tag(session: Session, tag_id: int, parent_id: int | None) -> Changed:
    """Nest a tag under another (None: top level)."""
    row = _tag(session, tag_id)
    if parent_id is not None:
        _tag(session, parent_id)
        if tag_id in ancestors(session, UserTag, parent_id):
            raise AnnotationError("A tag cannot be moved into itself or one of its sub-tags.")
    if parent_id == row.parent_id:
        return no_change(TAGS)
    check_sibling_name(session, UserTag, parent_id, row.name, row.id, "tag")
    previous = row.parent_id
    row.parent_id, row.updated = parent_id, now()
    session.flush()
    return Changed(TAGS, ids=(tag_id,), previous=previous, inverse=partial(move_tag, tag_id=tag_id, parent_id=previous))


def _tagged(session: Session, tag_id: int) -> set[RecommendationKey]:
    rows = session.execute(select(UserTagItem.document_key, UserTagItem.number).where(UserTagItem.tag_id == tag_id))
    return {RecommendationKey(d, n) for d, n in rows}


def tag_recommendations(session: Session, tag_id: int, keys: Iterable[Sequence[str]]) -> Changed:
    """Tag recommendations; those already tagged are left alone (``keys`` of the result: newly tagged)."""
    _tag(session, tag_id)
    present = _tagged(session, tag_id)
    new = [key for key in keys_of(keys) if key not in present]
    if not new:
        return no_change(TAG_ITEMS)
    stamp = now()
    session.execute(
        insert(UserTagItem),
        [{"tag_id": tag_id, "document_key": k.document_key, "number": k.number, "updated": stamp} for k in new],
    )
    return Changed(
        TAG_ITEMS,
        keys=tuple(new),
        ids=(tag_id,),
        inverse=partial(untag_recommendations, tag_id=tag_id, keys=tuple(new)),
    )


def untag_recommendations(session: Session, tag_id: int, keys: Iterable[Sequence[str]]) -> Changed:
    _tag(session, tag_id)
    present = _tagged(session, tag_id)
    gone = [key for key in keys_of(keys) if key in present]
    if not gone:
        return no_change(TAG_ITEMS)
    session.execute(
        delete(UserTagItem).where(
            UserTagItem.tag_id == tag_id,
            tuple_(UserTagItem.document_key, UserTagItem.number).in_([tuple(k) for k in gone]),
        )
    )
    return Changed(
        TAG_ITEMS,
        keys=tuple(gone),
        ids=(tag_id,),
        inverse=partial(tag_recommendations, tag_id=tag_id, keys=tuple(gone)),
    )
