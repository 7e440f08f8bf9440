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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from models.annotations.common import (
    AnnotationError,
    Changed,
    RecommendationKey,
    clean_name,
    no_change,
    now,
    write_positions,
)

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

    def ids(self) -> list[int]:
        """Its id and its descendants', parents first."""
        return [self.id, *(id_ for child in self.children for id_ in child.ids())]

    def keys(self) -> tuple[RecommendationKey, ...]:
        """The recommendations in it and in its descendants, once each."""
        return tuple(dict.fromkeys(self._all_keys()))

    def _all_keys(self) -> list[RecommendationKey]:
        return [key for key, _ in self.items] + [k for child in self.children for k in child._all_keys()]


def node(session: Session, tree: Tree, node_id: int) -> Any:
    row = session.get(tree.node, node_id)
    if row is None:
        raise AnnotationError(f"That {tree.what} no longer exists.")
    return row


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


def _check_sibling_name(session: Session, tree: Tree, parent_id: int | None, name: str, own_id: int | None) -> None:
    model = tree.node
    where = model.parent_id.is_(None) if parent_id is None else model.parent_id == parent_id
    for id_, other in session.execute(select(model.id, model.name).where(where)):
        if id_ != own_id and other.casefold() == name.casefold():
            raise AnnotationError(f"There is already a {tree.what} named “{other}” here.")


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
    if parent_id is not None:
        node(session, tree, parent_id)
    _check_sibling_name(session, tree, parent_id, name, None)
    stamp = now()
    new = tree.node(name=name, parent_id=parent_id, created=stamp, updated=stamp)
    if tree.ordered:
        new.position = 0
    session.add(new)
    session.flush()
    if tree.ordered:
        write_positions(session, tree.node, insert_at(children(session, tree, parent_id), row, new.id))
    return Changed(tree.kind, ids=(new.id,), inverse=partial(delete_node, tree=tree, node_id=new.id))


def rename_node(session: Session, tree: Tree, node_id: int, name: str) -> Changed:
    row = node(session, tree, node_id)
    tree.check(row, RENAME)
    name = clean_name(name, tree.what)
    if name == row.name:
        return no_change(tree.kind)
    _check_sibling_name(session, tree, row.parent_id, name, row.id)
    previous = row.name
    row.name, row.updated = name, now()
    session.flush()
    inverse = partial(rename_node, tree=tree, node_id=node_id, name=previous)
    return Changed(tree.kind, ids=(node_id,), previous=previous, inverse=inverse)


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
        children=tuple(_snapshot(session, tree, node(session, tree, id_)) for id_ in children(session, tree, row.id)),
    )


def delete_node(session: Session, tree: Tree, node_id: int) -> Changed:
    """Delete a node with its descendants and their items; ``previous`` is its `NodeSnapshot`."""
    row = node(session, tree, node_id)
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
    """Re-create a deleted node with the same id, place, items and descendants."""
    if session.get(tree.node, snapshot.id) is not None:
        raise AnnotationError(f"The {tree.what} “{snapshot.name}” already exists.")
    if snapshot.parent_id is not None:
        node(session, tree, snapshot.parent_id)
    _put(session, tree, snapshot)
    if tree.ordered:
        siblings = [id_ for id_ in children(session, tree, snapshot.parent_id) if id_ != snapshot.id]
        siblings.insert(min(snapshot.position, len(siblings)), snapshot.id)
        write_positions(session, tree.node, siblings)
    return Changed(
        tree.kind,
        keys=snapshot.keys(),
        ids=tuple(snapshot.ids()),
        inverse=partial(delete_node, tree=tree, node_id=snapshot.id),
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


def move_node(session: Session, tree: Tree, node_id: int, parent_id: int | None, row: int | None = None) -> Changed:
    """Nest a node under ``parent_id`` (None: top level); in an ordered tree, before the sibling now at ``row``.

    ``row`` is the drop row in the target list as the user sees it before the
    move (None: last), as Qt reports it. ``previous`` is the old parent, and in
    an ordered tree (old parent, old index).
    """
    moving = node(session, tree, node_id)
    tree.check(moving, MOVE, parent_id)
    if parent_id is not None:
        node(session, tree, parent_id)
        if node_id in _ancestors(session, tree, parent_id):
            raise AnnotationError(f"A {tree.what} cannot be moved into itself or one of its sub-{tree.what}s.")
    if not tree.ordered:
        if parent_id == moving.parent_id:
            return no_change(tree.kind)
        _check_sibling_name(session, tree, parent_id, moving.name, moving.id)
        previous = moving.parent_id
        moving.parent_id, moving.updated = parent_id, now()
        session.flush()
        inverse = partial(move_node, tree=tree, node_id=node_id, parent_id=previous)
        return Changed(tree.kind, ids=(node_id,), previous=previous, inverse=inverse)
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
    session.flush()
    write_positions(session, tree.node, [id_ for id_ in old_siblings if id_ != moving.id])
    write_positions(session, tree.node, new_siblings)
    # The drop row that puts it back: within one list, a row below it counts the moved node.
    back = old_index + 1 if parent_id == old_parent and new_index < old_index else old_index
    return Changed(
        tree.kind,
        ids=(moving.id,),
        previous=(old_parent, old_index),
        inverse=partial(move_node, tree=tree, node_id=moving.id, parent_id=old_parent, row=back),
    )
