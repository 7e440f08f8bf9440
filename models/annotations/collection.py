"""Collections: named, nested, ordered lists of recommendations (mutators with exact inverses).

Positions among sibling collections and among a collection's items are kept
contiguous (0, 1, 2...). Rows are given as Qt reports a drop: "before the
element now at ``row``", None for the end. The "Briefing" collection is
created by the migration and cannot be renamed, moved or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from models.annotations.common import (
    BRIEFING,
    COLLECTION_ITEMS,
    COLLECTIONS,
    AnnotationError,
    Changed,
    RecommendationKey,
    ancestors,
    check_sibling_name,
    clean_name,
    key_of,
    keys_of,
    no_change,
    now,
    snapshot_ids,
    snapshot_keys,
    write_positions,
)
from models.db.user_tables import UserCollection, UserCollectionItem


@dataclass(frozen=True)
class CollectionSnapshot:
    """A deleted collection with its items (in order) and sub-collections, for `restore_collection`."""

    id: int
    name: str
    parent_id: int | None
    position: int
    created: str
    updated: str
    items: tuple[tuple[RecommendationKey, str], ...]  # (key, updated), in order
    children: tuple[CollectionSnapshot, ...]


def _collection(session: Session, collection_id: int) -> UserCollection:
    row = session.get(UserCollection, collection_id)
    if row is None:
        raise AnnotationError("That collection no longer exists.")
    return row


def _sibling_collections(session: Session, parent_id: int | None) -> list[int]:
    where = UserCollection.parent_id.is_(None) if parent_id is None else UserCollection.parent_id == parent_id
    query = select(UserCollection.id).where(where).order_by(UserCollection.position, UserCollection.id)
    return list(session.scalars(query))


def _is_briefing(row: UserCollection) -> bool:
    return row.parent_id is None and row.name == BRIEFING


def _insert_at(order: list, row: int | None, item: Any) -> list:
    """``order`` with ``item`` moved or inserted before the element now at ``row`` (None: at the end)."""
    rest = [x for x in order if x != item]
    before = len(rest) if row is None else sum(1 for x in order[: max(row, 0)] if x != item)
    return rest[:before] + [item] + rest[before:]


def briefing_collection_id(session: Session) -> int:
    found = session.scalar(
        select(UserCollection.id).where(UserCollection.parent_id.is_(None), UserCollection.name == BRIEFING)
    )
    if found is None:  # only if the library was edited by hand
        return create_collection(session, BRIEFING, row=0).ids[0]
    return found


def create_collection(session: Session, name: str, parent_id: int | None = None, row: int | None = None) -> Changed:
    """A new, empty collection inserted before the sibling now at ``row`` (None: last)."""
    name = clean_name(name, "collection")
    if parent_id is not None:
        _collection(session, parent_id)
    check_sibling_name(session, UserCollection, parent_id, name, None, "collection")
    stamp = now()
    new = UserCollection(name=name, parent_id=parent_id, position=0, created=stamp, updated=stamp)
    session.add(new)
    session.flush()
    write_positions(session, UserCollection, _insert_at(_sibling_collections(session, parent_id), row, new.id))
    return Changed(COLLECTIONS, ids=(new.id,), inverse=partial(delete_collection, collection_id=new.id))


def rename_collection(session: Session, collection_id: int, name: str) -> Changed:
    row = _collection(session, collection_id)
    if _is_briefing(row):
        raise AnnotationError(f"The “{BRIEFING}” collection cannot be renamed.")
    name = clean_name(name, "collection")
    if name == row.name:
        return no_change(COLLECTIONS)
    check_sibling_name(session, UserCollection, row.parent_id, name, row.id, "collection")
    previous = row.name
    row.name, row.updated = name, now()
    session.flush()
    inverse = partial(rename_collection, collection_id=collection_id, name=previous)
    return Changed(COLLECTIONS, ids=(collection_id,), previous=previous, inverse=inverse)


def _snapshot_collection(session: Session, row: UserCollection) -> CollectionSnapshot:
    items = session.execute(
        select(UserCollectionItem.document_key, UserCollectionItem.number, UserCollectionItem.updated)
        .where(UserCollectionItem.collection_id == row.id)
        .order_by(UserCollectionItem.position)
    )
    children = [_collection(session, id_) for id_ in _sibling_collections(session, row.id)]
    return CollectionSnapshot(
        id=row.id,
        name=row.name,
        parent_id=row.parent_id,
        position=row.position,
        created=row.created,
        updated=row.updated,
        items=tuple((RecommendationKey(d, n), u) for d, n, u in items),
        children=tuple(_snapshot_collection(session, child) for child in children),
    )


def delete_collection(session: Session, collection_id: int) -> Changed:
    """Delete a collection with its sub-collections; ``previous`` is its `CollectionSnapshot`."""
    row = _collection(session, collection_id)
    if _is_briefing(row):
        raise AnnotationError(f"The “{BRIEFING}” collection cannot be deleted.")
    snapshot = _snapshot_collection(session, row)
    ids = snapshot_ids(snapshot)
    session.execute(delete(UserCollectionItem).where(UserCollectionItem.collection_id.in_(ids)))
    for id_ in reversed(ids):  # children first
        session.execute(delete(UserCollection).where(UserCollection.id == id_))
    write_positions(session, UserCollection, _sibling_collections(session, snapshot.parent_id))
    return Changed(
        COLLECTIONS,
        keys=tuple(dict.fromkeys(snapshot_keys(snapshot))),
        ids=tuple(ids),
        previous=snapshot,
        inverse=partial(restore_collection, snapshot=snapshot),
    )


def restore_collection(session: Session, snapshot: CollectionSnapshot) -> Changed:
    """Re-create a deleted collection with the same id, place, items and sub-collections."""
    if session.get(UserCollection, snapshot.id) is not None:
        raise AnnotationError(f"The collection “{snapshot.name}” already exists.")
    if snapshot.parent_id is not None:
        _collection(session, snapshot.parent_id)

    def put(node: CollectionSnapshot) -> None:
        session.execute(
            insert(UserCollection).values(
                id=node.id, name=node.name, parent_id=node.parent_id, position=node.position,
                created=node.created, updated=node.updated,
            )
        )
        if node.items:
            session.execute(
                insert(UserCollectionItem),
                [
                    {"collection_id": node.id, "document_key": k.document_key, "number": k.number,
                     "position": i, "updated": u}
                    for i, (k, u) in enumerate(node.items)
                ],
            )
        for child in node.children:
            put(child)

    put(snapshot)
    siblings = [id_ for id_ in _sibling_collections(session, snapshot.parent_id) if id_ != snapshot.id]
    siblings.insert(min(snapshot.position, len(siblings)), snapshot.id)
    write_positions(session, UserCollection, siblings)
    return Changed(
        COLLECTIONS,
        keys=tuple(dict.fromkeys(snapshot_keys(snapshot))),
        ids=tuple(snapshot_ids(snapshot)),
        inverse=partial(delete_collection, collection_id=snapshot.id),
    )


def move_collection(session: Session, collection_id: int, parent_id: int | None, row: int | None = None) -> Changed:
    """Nest a collection under ``parent_id`` (None: top level), before the sibling now at ``row``.

    ``row`` is the drop row in the target list as the user sees it before the
    move (None: last), as Qt reports it.
    """
    moving = _collection(session, collection_id)
    if _is_briefing(moving) and parent_id is not None:
        raise AnnotationError(f"The “{BRIEFING}” collection stays at the top level.")
    if parent_id is not None:
        _collection(session, parent_id)
        if collection_id in ancestors(session, UserCollection, parent_id):
            raise AnnotationError("A collection cannot be moved into itself or one of its sub-collections.")
    old_parent = moving.parent_id
    old_siblings = _sibling_collections(session, old_parent)
    old_index = old_siblings.index(collection_id)
    if parent_id != old_parent:
        check_sibling_name(session, UserCollection, parent_id, moving.name, moving.id, "collection")
    new_siblings = _insert_at(_sibling_collections(session, parent_id), row, collection_id)
    new_index = new_siblings.index(collection_id)
    if parent_id == old_parent and new_index == old_index:
        return no_change(COLLECTIONS)
    moving.parent_id, moving.updated = parent_id, now()
    session.flush()
    write_positions(session, UserCollection, [id_ for id_ in old_siblings if id_ != collection_id])
    write_positions(session, UserCollection, new_siblings)
    # The drop row that puts it back: within one list, a row below it counts the moved collection.
    back = old_index + 1 if parent_id == old_parent and new_index < old_index else old_index
    return Changed(
        COLLECTIONS,
        ids=(collection_id,),
        previous=(old_parent, old_index),
        inverse=partial(move_collection, collection_id=collection_id, parent_id=old_parent, row=back),
    )


# --------------------------------------------------------------------------- items


def _item_order(session: Session, collection_id: int) -> dict[RecommendationKey, int]:
    """The collection's items in order, key -> row id."""
    rows = session.execute(
        select(UserCollectionItem.document_key, UserCollectionItem.number, UserCollectionItem.id)
        .where(UserCollectionItem.collection_id == collection_id)
        .order_by(UserCollectionItem.position, UserCollectionItem.id)
    )
    return {RecommendationKey(d, n): id_ for d, n, id_ in rows}


def _touch_collection(session: Session, collection_id: int) -> None:
    session.execute(update(UserCollection).where(UserCollection.id == collection_id).values(updated=now()))


def add_to_collection(
    session: Session, collection_id: int, keys: Iterable[Sequence[str]], row: int | None = None
) -> Changed:
    """Insert recommendations before the item now at ``row`` (None: at the end).

    Recommendations already in the collection are left where they are (a
    collection holds each recommendation once); ``keys`` of the result are
    those actually added.
    """
    _collection(session, collection_id)
    order = _item_order(session, collection_id)
    new = [key for key in keys_of(keys) if key not in order]
    start = len(order) if row is None else max(0, min(row, len(order)))
    return insert_collection_items(session, collection_id, [(key, start + i) for i, key in enumerate(new)])


def insert_collection_items(
    session: Session, collection_id: int, placed: Iterable[tuple[Sequence[str], int]]
) -> Changed:
    """Put each (key, index) at that index, in increasing index order: the inverse of removing them."""
    _collection(session, collection_id)
    order = list(_item_order(session, collection_id))
    present = set(order)
    added: list[RecommendationKey] = []
    for key, index in sorted(((key_of(k), i) for k, i in placed), key=lambda pair: pair[1]):
        if key not in present:
            order.insert(max(0, min(index, len(order))), key)
            present.add(key)
            added.append(key)
    if not added:
        return no_change(COLLECTION_ITEMS)
    stamp = now()
    session.execute(
        insert(UserCollectionItem),
        [{"collection_id": collection_id, "document_key": k.document_key, "number": k.number, "position": -1,
          "updated": stamp} for k in added],
    )
    _write_item_positions(session, collection_id, order)
    _touch_collection(session, collection_id)
    return Changed(
        COLLECTION_ITEMS,
        keys=tuple(added),
        ids=(collection_id,),
        inverse=partial(remove_from_collection, collection_id=collection_id, keys=tuple(added)),
    )


def _write_item_positions(session: Session, collection_id: int, order: Sequence[RecommendationKey]) -> None:
    ids = _item_order(session, collection_id)
    write_positions(session, UserCollectionItem, [ids[key] for key in order])


def remove_from_collection(session: Session, collection_id: int, keys: Iterable[Sequence[str]]) -> Changed:
    """Remove recommendations; ``previous`` holds their (key, index) for `insert_collection_items`."""
    _collection(session, collection_id)
    order = list(_item_order(session, collection_id))
    gone = set(keys_of(keys)) & set(order)
    if not gone:
        return no_change(COLLECTION_ITEMS)
    placed = tuple((key, index) for index, key in enumerate(order) if key in gone)
    session.execute(
        delete(UserCollectionItem).where(
            UserCollectionItem.collection_id == collection_id,
            tuple_(UserCollectionItem.document_key, UserCollectionItem.number).in_([tuple(k) for k in gone]),
        )
    )
    _write_item_positions(session, collection_id, [key for key in order if key not in gone])
    _touch_collection(session, collection_id)
    return Changed(
        COLLECTION_ITEMS,
        keys=tuple(key for key, _ in placed),
        ids=(collection_id,),
        previous=placed,
        inverse=partial(insert_collection_items, collection_id=collection_id, placed=placed),
    )


def reorder_collection_items(
    session: Session, collection_id: int, keys: Iterable[Sequence[str]], row: int | None
) -> Changed:
    """Move items (keeping their relative order) before the item now at ``row`` (None: to the end)."""
    order = list(_item_order(session, collection_id))
    moving = set(keys_of(keys))
    block = [key for key in order if key in moving]
    rest = [key for key in order if key not in moving]
    before = len(rest) if row is None else sum(1 for key in order[: max(row, 0)] if key not in moving)
    return set_collection_order(session, collection_id, rest[:before] + block + rest[before:])


def set_collection_order(session: Session, collection_id: int, keys: Iterable[Sequence[str]]) -> Changed:
    """Put the collection's items in the order of ``keys`` (items not named keep their order, after them)."""
    _collection(session, collection_id)
    order = list(_item_order(session, collection_id))
    wanted = [key for key in keys_of(keys) if key in set(order)]
    new = wanted + [key for key in order if key not in set(wanted)]
    if new == order:
        return no_change(COLLECTION_ITEMS)
    _write_item_positions(session, collection_id, new)
    _touch_collection(session, collection_id)
    moved = tuple(key for key, old in zip(new, order, strict=True) if key != old)
    return Changed(
        COLLECTION_ITEMS,
        keys=moved,
        ids=(collection_id,),
        previous=tuple(order),
        inverse=partial(set_collection_order, collection_id=collection_id, keys=tuple(order)),
    )
