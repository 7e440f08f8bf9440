"""Nested, named trees: what collections and tags share (mutators with exact inverses).

A `Tree` names the tables of one kind of node (a collection, a tag) and its
items. Names are unique among siblings (case-insensitively); deleting a node
deletes its descendants and their items, and `restore_node` puts all of it back
with the same ids. An ordered tree (its node table has a ``position`` column)
keeps the positions among siblings and among a node's items contiguous (0, 1,
2...), rows given as Qt reports a drop: "before the element now at ``row``",
None for the end. Nodes of an unordered tree are listed by id (views sort them).
The inverse of every action calls these functions with the same `Tree`, so its
``guard`` (e.g. the Briefing collection's rule) holds for undo and redo too.

Several people may edit one library. Every action locks the node it acts on
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite writes one transaction at a
time), so an action on a node someone else has just deleted is refused
(`StaleEditError` with no current value) rather than orphaning rows. An action
that changes a list of siblings (adding, moving, renaming, deleting, restoring)
first takes that list's lock (on PostgreSQL a transaction-level advisory lock per
list, taken before any row lock and in one order), so two people reordering one
list at the same moment take turns instead of deadlocking or leaving gaps. Renaming,
moving and deleting take the node's ``seen_version`` (what the user's view
showed): if the node changed since, `StaleEditError` carries its name and place
now, and nothing is written. Each inverse carries what its action left (the
node's name and parent, ``expected``), so an undo never overwrites a later change
by someone else, while this user's own undo and redo steps follow one another.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models.annotations.common import (
    PATH_SEPARATOR,
    AnnotationError,
    Changed,
    RecommendationKey,
    StaleEditError,
    clean_name,
    no_change,
    now,
    write_positions,
)
from models.db.engine_sql import dialect

RENAME, DELETE, MOVE = "rename", "delete", "move"


@dataclass(frozen=True)
class Tree:
    """One kind of node: ``node`` and ``item`` ORM tables, ``item_node`` the item's column naming its node."""

    node: Any  # id, name, parent_id, created, updated (and position, in an ordered tree)
    item: Any  # <item_node>, document_key, number, updated (and position, in an ordered tree)
    item_node: str
    kind: str  # the `Changed` kind: COLLECTIONS or TAGS
    what: str  # "collection" or "tag", in messages
    guard: Callable[[Any, str, int | None], None] | None = None  # (row, RENAME/DELETE/MOVE, new parent): may refuse

    @property
    def ordered(self) -> bool:
        return "position" in self.node.__table__.columns

    def check(self, row: Any, action: str, parent_id: int | None = None) -> None:
        if self.guard is not None:
            self.guard(row, action, parent_id)


@dataclass(frozen=True)
class NodeSnapshot:
    """A deleted node with its items (in order) and descendants, for `restore_node`."""

    id: int
    name: str
    parent_id: int | None
    position: int  # among its siblings (0 in an unordered tree)
    created: str
    updated: str
    items: tuple[tuple[RecommendationKey, str], ...]  # (key, updated), in order
    children: tuple[NodeSnapshot, ...]
    version: int = 1  # when deleted; restored as the next one

    def ids(self) -> list[int]:
        """Its id and its descendants', parents first."""
        return [self.id, *(id_ for child in self.children for id_ in child.ids())]

    def keys(self) -> tuple[RecommendationKey, ...]:
        """The recommendations in it and in its descendants, once each."""
        return tuple(dict.fromkeys(self._all_keys()))

    def _all_keys(self) -> list[RecommendationKey]:
        return [key for key, _ in self.items] + [k for child in self.children for k in child._all_keys()]


def node(session: Session, tree: Tree, node_id: int, *, lock: bool = False) -> Any:
    """The node, read afresh and locked for this transaction with ``lock``; refused when it is gone."""
    if lock:
        row = session.get(tree.node, node_id, with_for_update=True, populate_existing=True)
    else:
        row = session.get(tree.node, node_id)
    if row is None:
        raise _gone(tree, node_id)
    return row


def _gone(tree: Tree, node_id: int) -> StaleEditError:
    """The refusal of an action on a node someone else deleted."""
    return StaleEditError(tree.what, None, None, "", "", 0, node_id=node_id)


def lock_lists(session: Session, tree: Tree, *parents: int | None) -> None:
    """Take the lock of each list of siblings under ``parents`` (None: the top level) for this transaction.

    On PostgreSQL a transaction-level advisory lock per (table, parent), always taken in the same
    order and before the action locks any row, so that actions on one list take turns. SQLite
    writes one transaction at a time: nothing to take.
    """
    if dialect(session) != "postgresql":
        return
    table = zlib.crc32(tree.node.__tablename__.encode()) & 0x7FFFFFFF
    for parent in sorted({0 if parent is None else parent for parent in parents}):  # ids start at 1
        session.execute(text("SELECT pg_advisory_xact_lock(:table, :parent)"), {"table": table, "parent": parent})


def path_of(session: Session, tree: Tree, row: Any) -> str:
    """The node's full name, its parents' first ("Marking / Briefing notes")."""
    names, seen = [row.name], {row.id}
    parent = row.parent_id
    while parent is not None and parent not in seen:
        up = session.get(tree.node, parent)
        if up is None:
            break
        names.insert(0, up.name)
        seen.add(parent)
        parent = up.parent_id
    return PATH_SEPARATOR.join(names)


def stale(session: Session, tree: Tree, node_id: int) -> StaleEditError:
    """The refusal naming the node as it is now (read afresh: someone else changed or deleted it)."""
    row = session.get(tree.node, node_id, populate_existing=True)
    if row is None:
        return _gone(tree, node_id)
    return StaleEditError(tree.what, None, path_of(session, tree, row), row.author, row.updated, row.version, node_id=node_id)


Expected = tuple[str, int | None] | None  # (name, parent id) an undo expects to find


def edited(session: Session, tree: Tree, node_id: int, seen_version: int | None, expected: Expected = None) -> Any:
    """The node an edit changes, locked; refused if it is not the version the user saw (None: any),
    or (for an undo) not named and placed as this user's action left it."""
    row = node(session, tree, node_id, lock=True)
    if seen_version is not None and row.version != seen_version:
        raise stale(session, tree, node_id)
    if expected is not None and (row.name, row.parent_id) != expected:
        raise stale(session, tree, node_id)
    return row


def _edited_in_list(
    session: Session, tree: Tree, node_id: int, seen_version: int | None, expected: Expected, *others: int | None
) -> Any:
    """The node an edit changes (`edited`), once the lock of the list it is in (and of the lists under
    ``others``) is taken; refused if someone else moved it out of that list meanwhile."""
    parent = node(session, tree, node_id).parent_id
    lock_lists(session, tree, parent, *others)
    row = edited(session, tree, node_id, seen_version, expected)
    if row.parent_id != parent:
        raise stale(session, tree, node_id)
    return row


def flush_edit(session: Session, tree: Tree, row: Any) -> int:
    """Write the node's changed columns (its version moves on); returns the new version."""
    try:
        session.flush()
    except StaleDataError as error:  # changed between our read and our write (an unlocked read)
        raise stale(session, tree, row.id) from error
    return row.version


def children(session: Session, tree: Tree, parent_id: int | None) -> list[int]:
    """Ids of the nodes under ``parent_id`` (None: top level), in order."""
    model = tree.node
    where = model.parent_id.is_(None) if parent_id is None else model.parent_id == parent_id
    order = (model.position, model.id) if tree.ordered else (model.id,)
    return list(session.scalars(select(model.id).where(where).order_by(*order)))


def insert_at(order: list, row: int | None, item: Any) -> list:
    """``order`` with ``item`` moved or inserted before the element now at ``row`` (None: at the end)."""
    rest = [x for x in order if x != item]
    before = len(rest) if row is None else sum(1 for x in order[: max(row, 0)] if x != item)
    return rest[:before] + [item] + rest[before:]


def sibling_named(
    session: Session, model: Any, parent_id: int | None, name: str, other_than: int | None = None
) -> tuple[int, str] | None:
    """The (id, name) of the first node under ``parent_id`` (None: top level) named ``name`` whatever the
    case, ``other_than`` aside; None if there is none. Compared in Python (casefold): SQLite's lower()
    folds ASCII only, so "État" and "état" would differ in SQL."""
    where = model.parent_id.is_(None) if parent_id is None else model.parent_id == parent_id
    for id_, other in session.execute(select(model.id, model.name).where(where).order_by(model.id)):
        if id_ != other_than and other.casefold() == name.casefold():
            return id_, other
    return None


def _check_sibling_name(session: Session, tree: Tree, parent_id: int | None, name: str, own_id: int | None) -> None:
    found = sibling_named(session, tree.node, parent_id, name, own_id)
    if found is not None:
        raise AnnotationError(f"There is already a {tree.what} named “{found[1]}” here.")


def _ancestors(session: Session, tree: Tree, node_id: int | None) -> list[int]:
    parents = dict(session.execute(select(tree.node.id, tree.node.parent_id)).all())
    chain: list[int] = []
    while node_id is not None and node_id not in chain:
        chain.append(node_id)
        node_id = parents.get(node_id)
    return chain


def create_node(session: Session, tree: Tree, name: str, parent_id: int | None = None, row: int | None = None) -> Changed:
    """A new, empty node under ``parent_id``; in an ordered tree, before the sibling now at ``row`` (None: last)."""
    name = clean_name(name, tree.what)
    lock_lists(session, tree, parent_id)
    if parent_id is not None:
        node(session, tree, parent_id, lock=True)
    _check_sibling_name(session, tree, parent_id, name, None)
    stamp = now()
    new = tree.node(name=name, parent_id=parent_id, created=stamp, updated=stamp)
    if tree.ordered:
        new.position = 0
    session.add(new)
    session.flush()
    if tree.ordered:
        write_positions(session, tree.node, insert_at(children(session, tree, parent_id), row, new.id))
    inverse = partial(delete_node, tree=tree, node_id=new.id, expected=(name, parent_id))
    return Changed(tree.kind, ids=(new.id,), versions=(new.version,), inverse=inverse)


def rename_node(
    session: Session, tree: Tree, node_id: int, name: str, *, seen_version: int | None = None, expected: Expected = None
) -> Changed:
    row = _edited_in_list(session, tree, node_id, seen_version, expected)  # names are unique among siblings
    tree.check(row, RENAME)
    name = clean_name(name, tree.what)
    if name == row.name:
        return no_change(tree.kind)
    _check_sibling_name(session, tree, row.parent_id, name, row.id)
    previous = row.name
    row.name, row.updated = name, now()
    version = flush_edit(session, tree, row)
    inverse = partial(rename_node, tree=tree, node_id=node_id, name=previous, expected=(name, row.parent_id))
    return Changed(tree.kind, ids=(node_id,), previous=previous, versions=(version,), inverse=inverse)


def _snapshot(session: Session, tree: Tree, row: Any) -> NodeSnapshot:
    item = tree.item
    order = (item.position, item.id) if tree.ordered else (item.id,)
    items = session.execute(
        select(item.document_key, item.number, item.updated).where(getattr(item, tree.item_node) == row.id).order_by(*order)
    )
    return NodeSnapshot(
        id=row.id,
        name=row.name,
        parent_id=row.parent_id,
        position=row.position if tree.ordered else 0,
        created=row.created,
        updated=row.updated,
        items=tuple((RecommendationKey(d, n), u) for d, n, u in items),
        children=tuple(_snapshot(session, tree, node(session, tree, id_, lock=True)) for id_ in children(session, tree, row.id)),
        version=row.version,
    )


def delete_node(
    session: Session, tree: Tree, node_id: int, *, seen_version: int | None = None, expected: Expected = None
) -> Changed:
    """Delete a node with its descendants and their items; ``previous`` is its `NodeSnapshot`."""
    row = _edited_in_list(session, tree, node_id, seen_version, expected)
    tree.check(row, DELETE)
    snapshot = _snapshot(session, tree, row)
    ids = snapshot.ids()
    session.execute(delete(tree.item).where(getattr(tree.item, tree.item_node).in_(ids)))
    for id_ in reversed(ids):  # children first
        session.execute(delete(tree.node).where(tree.node.id == id_))
    if tree.ordered:
        write_positions(session, tree.node, children(session, tree, snapshot.parent_id))
    return Changed(
        tree.kind,
        keys=snapshot.keys(),
        ids=tuple(ids),
        previous=snapshot,
        inverse=partial(restore_node, tree=tree, snapshot=snapshot),
    )


def restore_node(session: Session, tree: Tree, snapshot: NodeSnapshot) -> Changed:
    """Re-create a deleted node with the same id, place, items and descendants; refused, as a new
    name would be, when a sibling with its name (whatever the case) was made since."""
    lock_lists(session, tree, snapshot.parent_id)
    if session.get(tree.node, snapshot.id) is not None:
        raise AnnotationError(f"The {tree.what} “{snapshot.name}” already exists.")
    if snapshot.parent_id is not None:
        node(session, tree, snapshot.parent_id, lock=True)
    clash = sibling_named(session, tree.node, snapshot.parent_id, snapshot.name)  # made (or renamed) since the delete
    if clash is not None:
        raise AnnotationError(
            f"The {tree.what} “{snapshot.name}” cannot be brought back: there is already a {tree.what} "
            f"named “{clash[1]}” here. Rename that one first."
        )
    _put(session, tree, snapshot)
    if tree.ordered:
        siblings = [id_ for id_ in children(session, tree, snapshot.parent_id) if id_ != snapshot.id]
        siblings.insert(min(snapshot.position, len(siblings)), snapshot.id)
        write_positions(session, tree.node, siblings)
    return Changed(
        tree.kind,
        keys=snapshot.keys(),
        ids=tuple(snapshot.ids()),
        versions=(snapshot.version + 1,),
        inverse=partial(delete_node, tree=tree, node_id=snapshot.id, expected=(snapshot.name, snapshot.parent_id)),
    )


def _put(session: Session, tree: Tree, snapshot: NodeSnapshot) -> None:
    place = {"position": snapshot.position} if tree.ordered else {}
    session.execute(
        insert(tree.node).values(
            id=snapshot.id,
            name=snapshot.name,
            parent_id=snapshot.parent_id,
            created=snapshot.created,
            updated=snapshot.updated,
            version=snapshot.version + 1,
            **place,
        )
    )
    if snapshot.items:
        session.execute(
            insert(tree.item),
            [
                {
                    tree.item_node: snapshot.id,
                    "document_key": k.document_key,
                    "number": k.number,
                    "updated": u,
                    **({"position": i} if tree.ordered else {}),
                }
                for i, (k, u) in enumerate(snapshot.items)
            ],
        )
    for child in snapshot.children:
        _put(session, tree, child)


def move_node(
    session: Session,
    tree: Tree,
    node_id: int,
    parent_id: int | None,
    row: int | None = None,
    *,
    seen_version: int | None = None,
    expected: Expected = None,
) -> Changed:
    """Nest a node under ``parent_id`` (None: top level); in an ordered tree, before the sibling now at ``row``.

    ``row`` is the drop row in the target list as the user sees it before the
    move (None: last), as Qt reports it. ``previous`` is the old parent, and in
    an ordered tree (old parent, old index).
    """
    moving = _edited_in_list(session, tree, node_id, seen_version, expected, parent_id)
    tree.check(moving, MOVE, parent_id)
    if parent_id is not None:
        node(session, tree, parent_id, lock=True)
        if node_id in _ancestors(session, tree, parent_id):
            raise AnnotationError(f"A {tree.what} cannot be moved into itself or one of its sub-{tree.what}s.")
    if not tree.ordered:
        if parent_id == moving.parent_id:
            return no_change(tree.kind)
        _check_sibling_name(session, tree, parent_id, moving.name, moving.id)
        previous = moving.parent_id
        moving.parent_id, moving.updated = parent_id, now()
        version = flush_edit(session, tree, moving)
        inverse = partial(move_node, tree=tree, node_id=node_id, parent_id=previous, expected=(moving.name, parent_id))
        return Changed(tree.kind, ids=(node_id,), previous=previous, versions=(version,), inverse=inverse)
    return _move_ordered(session, tree, moving, parent_id, row)


def _move_ordered(session: Session, tree: Tree, moving: Any, parent_id: int | None, row: int | None) -> Changed:
    old_parent = moving.parent_id
    old_siblings = children(session, tree, old_parent)
    old_index = old_siblings.index(moving.id)
    if parent_id != old_parent:
        _check_sibling_name(session, tree, parent_id, moving.name, moving.id)
    new_siblings = insert_at(children(session, tree, parent_id), row, moving.id)
    new_index = new_siblings.index(moving.id)
    if parent_id == old_parent and new_index == old_index:
        return no_change(tree.kind)
    moving.parent_id, moving.updated = parent_id, now()
    version = flush_edit(session, tree, moving)
    write_positions(session, tree.node, [id_ for id_ in old_siblings if id_ != moving.id])
    write_positions(session, tree.node, new_siblings)
    # The drop row that puts it back: within one list, a row below it counts the moved node.
    back = old_index + 1 if parent_id == old_parent and new_index < old_index else old_index
    return Changed(
        tree.kind,
        ids=(moving.id,),
        previous=(old_parent, old_index),
        versions=(version,),
        inverse=partial(
            move_node, tree=tree, node_id=moving.id, parent_id=old_parent, row=back, expected=(moving.name, parent_id)
        ),
    )
