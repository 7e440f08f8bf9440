"""Drag-and-drop rules, as pure functions the Qt models ask before accepting a drop.

The Qt side describes what is dragged (a payload kind) and where it would land
(a target kind); `drop_action` names the domain action a drop performs, or None
when the drop is refused. Payloads travel as JSON (`DropPayload.to_json`), never
as live objects.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from models.annotations.common import RecommendationKey, keys_of

# What is dragged.
RECOMMENDATIONS = "recommendations"  # rows of the recommendations table, a search, a briefing
COLLECTION_ITEMS = "collection_items"  # rows of an open collection (the payload names the collection)
PARAGRAPH = "paragraph"
REMARK = "remark"
COLLECTION = "collection"  # a node of the collections tree
TAG = "tag"  # a node of the tags tree
PAYLOAD_KINDS = (RECOMMENDATIONS, COLLECTION_ITEMS, PARAGRAPH, REMARK, COLLECTION, TAG)

# Where it lands.
ON_COLLECTION = "on_collection"  # a collection node
ON_COLLECTIONS_ROOT = "on_collections_root"  # empty space of the collections tree
IN_COLLECTION = "in_collection"  # between the rows of an open collection
ON_TAG = "on_tag"
ON_TAGS_ROOT = "on_tags_root"
ON_RECOMMENDATION = "on_recommendation"
TARGET_KINDS = (ON_COLLECTION, ON_COLLECTIONS_ROOT, IN_COLLECTION, ON_TAG, ON_TAGS_ROOT, ON_RECOMMENDATION)

# What a drop does (the domain function it calls).
ADD_TO_COLLECTION = "add_to_collection"
REORDER = "reorder_collection_items"
TAG_RECOMMENDATIONS = "tag_recommendations"
CURATED_LINK = "add_curated_link"
MOVE_COLLECTION = "move_collection"
MOVE_TAG = "move_tag"

_RULES: dict[tuple[str, str], str] = {
    (RECOMMENDATIONS, ON_COLLECTION): ADD_TO_COLLECTION,
    (RECOMMENDATIONS, IN_COLLECTION): ADD_TO_COLLECTION,
    (RECOMMENDATIONS, ON_TAG): TAG_RECOMMENDATIONS,
    (COLLECTION_ITEMS, ON_COLLECTION): ADD_TO_COLLECTION,
    (COLLECTION_ITEMS, IN_COLLECTION): ADD_TO_COLLECTION,  # REORDER within the same collection
    (COLLECTION_ITEMS, ON_TAG): TAG_RECOMMENDATIONS,
    (PARAGRAPH, ON_RECOMMENDATION): CURATED_LINK,
    (REMARK, ON_RECOMMENDATION): CURATED_LINK,
    (COLLECTION, ON_COLLECTION): MOVE_COLLECTION,
    (COLLECTION, ON_COLLECTIONS_ROOT): MOVE_COLLECTION,
    (TAG, ON_TAG): MOVE_TAG,
    (TAG, ON_TAGS_ROOT): MOVE_TAG,
}


def drop_action(payload_kind: str, target_kind: str, *, same_collection: bool = False, same_document: bool = True) -> str | None:
    """The action a drop performs, or None if it is refused.

    ``same_collection``: the collection items come from the collection they are
    dropped on or into (reordering inside it; dropping onto its own tree node
    does nothing). ``same_document``: the paragraph or remark belongs to the
    recommendation's document (curated links stay within one report).
    """
    action = _RULES.get((payload_kind, target_kind))
    if payload_kind == COLLECTION_ITEMS and same_collection:
        return REORDER if target_kind == IN_COLLECTION else None if target_kind == ON_COLLECTION else action
    if action == CURATED_LINK and not same_document:
        return None
    return action


def can_drop(payload_kind: str, target_kind: str, *, same_collection: bool = False, same_document: bool = True) -> bool:
    action = drop_action(payload_kind, target_kind, same_collection=same_collection, same_document=same_document)
    return action is not None


def keys_to_add(existing: Iterable[Sequence[str]], dropped: Iterable[Sequence[str]]) -> list[RecommendationKey]:
    """The dropped recommendations a collection or tag does not hold yet, each once, in drop order.

    An empty result means the drop would change nothing (the view may refuse it).
    """
    present = set(keys_of(existing))
    return [key for key in keys_of(dropped) if key not in present]


def can_nest(moving_id: int, target_id: int | None, parents: Mapping[int, int | None]) -> bool:
    """Whether a collection or tag may move under ``target_id`` (None: top level), given each node's parent.

    Refused onto itself or any of its descendants.
    """
    node = target_id
    seen: set[int] = set()
    while node is not None and node not in seen:
        if node == moving_id:
            return False
        seen.add(node)
        node = parents.get(node)
    return True


MIME_TYPE = "application/x-xref-explorer-items+json"


@dataclass(frozen=True)
class DropPayload:
    """What a drag carries: stable keys only, so it stays valid across rebuilds and processes.

    ``keys``: recommendations (RECOMMENDATIONS, COLLECTION_ITEMS);
    ``collection_id``: the source collection of COLLECTION_ITEMS, or the dragged collection;
    ``tag_id``: the dragged tag; ``document_key``/``paragraph``/``remark_position``: a paragraph or remark.
    """

    kind: str
    keys: tuple[RecommendationKey, ...] = ()
    collection_id: int | None = None
    tag_id: int | None = None
    document_key: str | None = None
    paragraph: int | None = None
    remark_position: int | None = None

    def to_json(self) -> str:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data = {name: value for name, value in data.items() if value not in (None, ())}
        data["keys"] = [list(key) for key in self.keys]
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DropPayload | None:
        """The payload, or None for anything that is not one of ours (a refused drop, not an error)."""
        try:
            data = json.loads(text)
            if data.get("kind") not in PAYLOAD_KINDS:
                return None
            fields = {name: data.get(name) for name in cls.__dataclass_fields__ if name != "keys"}
            return cls(**fields, keys=tuple(keys_of(data.get("keys", ()))))
        except (ValueError, TypeError, AttributeError):
            return None
