"""Collections: named, nested, ordered lists of recommendations (mutators with exact inverses).

The nesting (create, rename, delete, restore, move) is the ordered `models.annotations.tree`
shared with tags; this module adds the items' order and the Briefing rule. Positions among sibling collections and among a collection's items are kept
contiguous (0, 1, 2...). Rows are given as Qt reports a drop: "before the
element now at ``row``", None for the end. The "Briefing" collection is
created by the migration and cannot be renamed, moved or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from models.annotations import tree
from models.annotations.common import (
    BRIEFING,
    COLLECTION_ITEMS,
    COLLECTIONS,
    AnnotationError,
    Changed,
    RecommendationKey,
    key_of,
    keys_of,
    no_change,
    now,
    write_positions,
)
from models.annotations.tree import NodeSnapshot
from models.db.user_tables import UserCollection, UserCollectionItem


def _briefing_rule(row: UserCollection, action: str, parent_id: int | None) -> None:
    if row.parent_id is not None or row.name != BRIEFING:
        return
    if action == tree.RENAME:
        raise AnnotationError(f"The “{BRIEFING}” collection cannot be renamed.")
    if action == tree.DELETE:
        raise AnnotationError(f"The “{BRIEFING}” collection cannot be deleted.")
    if action == tree.MOVE and parent_id is not None:
        raise AnnotationError(f"The “{BRIEFING}” collection stays at the top level.")


COLLECTION_TREE = tree.Tree(UserCollection, UserCollectionItem, "collection_id", COLLECTIONS, "collection", guard=_briefing_rule)


def _collection(session: Session, collection_id: int) -> UserCollection:
    """The collection, locked for this transaction: refused if someone else deleted it."""
    return tree.node(session, COLLECTION_TREE, collection_id, lock=True)


def briefing_collection_id(session: Session) -> int:
    found = session.scalar(select(UserCollection.id).where(UserCollection.parent_id.is_(None), UserCollection.name == BRIEFING))
    if found is None:  # only if the library was edited by hand
        return create_collection(session, BRIEFING, row=0).ids[0]
    return found


def create_collection(session: Session, name: str, parent_id: int | None = None, row: int | None = None) -> Changed:
    """A new, empty collection inserted before the sibling now at ``row`` (None: last)."""
    return tree.create_node(session, COLLECTION_TREE, name, parent_id, row)


def rename_collection(session: Session, collection_id: int, name: str, *, seen_version: int | None = None) -> Changed:
    """Rename a collection; with ``seen_version``, refused (`StaleEditError`) if someone else changed it since."""
    return tree.rename_node(session, COLLECTION_TREE, collection_id, name, seen_version=seen_version)


def delete_collection(session: Session, collection_id: int, *, seen_version: int | None = None) -> Changed:
    """Delete a collection with its sub-collections; ``previous`` is its `NodeSnapshot`."""
    return tree.delete_node(session, COLLECTION_TREE, collection_id, seen_version=seen_version)


def restore_collection(session: Session, snapshot: NodeSnapshot) -> Changed:
    """Re-create a deleted collection with the same id, place, items and sub-collections."""
    return tree.restore_node(session, COLLECTION_TREE, snapshot)


def move_collection(
    session: Session, collection_id: int, parent_id: int | None, row: int | None = None, *, seen_version: int | None = None
) -> Changed:
    """Nest a collection under ``parent_id`` (None: top level), before the sibling now at ``row``.

    ``row`` is the drop row in the target list as the user sees it before the
    move (None: last), as Qt reports it.
    """
    return tree.move_node(session, COLLECTION_TREE, collection_id, parent_id, row, seen_version=seen_version)


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


def add_to_collection(session: Session, collection_id: int, keys: Iterable[Sequence[str]], row: int | None = None) -> Changed:
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


def insert_collection_items(session: Session, collection_id: int, placed: Iterable[tuple[Sequence[str], int]]) -> Changed:
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
        [
            {"collection_id": collection_id, "document_key": k.document_key, "number": k.number, "position": -1, "updated": stamp}
            for k in added
        ],
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
    session: Session, collection_id: int, keys: Iterable[Sequence[str]], row: int | None, *, seen_version: int | None = None
) -> Changed:
    """Move items (keeping their relative order) before the item now at ``row`` (None: to the end).

    The collection is locked and its version checked by `set_collection_order`, in this transaction,
    before anything is written."""
    order = list(_item_order(session, collection_id))
    moving = set(keys_of(keys))
    block = [key for key in order if key in moving]
    rest = [key for key in order if key not in moving]
    before = len(rest) if row is None else sum(1 for key in order[: max(row, 0)] if key not in moving)
    return set_collection_order(session, collection_id, rest[:before] + block + rest[before:], seen_version=seen_version)


def set_collection_order(
    session: Session,
    collection_id: int,
    keys: Iterable[Sequence[str]],
    *,
    seen_version: int | None = None,
    expected: Sequence[RecommendationKey] | None = None,
) -> Changed:
    """Put the collection's items in the order of ``keys`` (items not named keep their order, after them).

    The order is the collection's own value: its version moves on, and with ``seen_version`` an
    order based on an older version (someone else reordered, renamed or moved it since) is refused;
    with ``expected`` (an undo), an order that is no longer the one this user's action left.
    """
    collection = tree.edited(session, COLLECTION_TREE, collection_id, seen_version)
    order = list(_item_order(session, collection_id))
    if expected is not None and order != list(expected):
        raise tree.stale(session, COLLECTION_TREE, collection_id)
    wanted = [key for key in keys_of(keys) if key in set(order)]
    new = wanted + [key for key in order if key not in set(wanted)]
    if new == order:
        return no_change(COLLECTION_ITEMS)
    _write_item_positions(session, collection_id, new)
    collection.updated = now()
    flag_modified(collection, "updated")  # an UPDATE (and a new version) even within the same second
    version = tree.flush_edit(session, COLLECTION_TREE, collection)
    moved = tuple(key for key, old in zip(new, order, strict=True) if key != old)
    return Changed(
        COLLECTION_ITEMS,
        keys=moved,
        ids=(collection_id,),
        previous=tuple(order),
        versions=(version,),
        inverse=partial(set_collection_order, collection_id=collection_id, keys=tuple(order), expected=tuple(new)),
    )
