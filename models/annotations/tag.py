"""Tags: the delegate's own nested labels on recommendations (mutators with exact inverses).

The nesting is the unordered `models.annotations.tree` shared with collections; tags sort by name in views.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import Session

from models.annotations import tree
from models.annotations.common import TAG_ITEMS, TAGS, Changed, RecommendationKey, keys_of, no_change, now
from models.annotations.tree import NodeSnapshot
from models.db.user_tables import UserTag, UserTagItem

TAG_TREE = tree.Tree(UserTag, UserTagItem, "tag_id", TAGS, "tag")


def _tag(session: Session, tag_id: int) -> UserTag:
    """The tag, locked for this transaction: refused if someone else deleted it."""
    return tree.node(session, TAG_TREE, tag_id, lock=True)


def create_tag(session: Session, name: str, parent_id: int | None = None) -> Changed:
    return tree.create_node(session, TAG_TREE, name, parent_id)


def rename_tag(session: Session, tag_id: int, name: str, *, seen_version: int | None = None) -> Changed:
    """Rename a tag; with ``seen_version``, refused (`StaleEditError`) if someone else changed it since."""
    return tree.rename_node(session, TAG_TREE, tag_id, name, seen_version=seen_version)


def delete_tag(session: Session, tag_id: int, *, seen_version: int | None = None) -> Changed:
    """Delete a tag with its sub-tags; ``previous`` is its `NodeSnapshot`."""
    return tree.delete_node(session, TAG_TREE, tag_id, seen_version=seen_version)


def restore_tag(session: Session, snapshot: NodeSnapshot) -> Changed:
    return tree.restore_node(session, TAG_TREE, snapshot)


def move_tag(session: Session, tag_id: int, parent_id: int | None, *, seen_version: int | None = None) -> Changed:
    """Nest a tag under another (None: top level)."""
    return tree.move_node(session, TAG_TREE, tag_id, parent_id, seen_version=seen_version)


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
