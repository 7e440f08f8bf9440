"""The vocabulary shared by the annotation modules: keys, errors, `Changed`, small helpers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from models.db.user_tables import RecommendationKey

BRIEFING = "Briefing"  # the top-level collection every library has; "Add to briefing" targets it
# The delegation's position on a recommendation: the keys stored (user_position.position, CSV files) and the
# labels shown (GUI, Word, HTML). The one definition; the table's CHECK constraint lists the same keys.
POSITION_LABELS = {
    "support": "Support",
    "oppose": "Oppose",
    "neutral": "Neutral",
    "needs_instructions": "Needs instructions",
}
POSITIONS = tuple(POSITION_LABELS)
PATH_SEPARATOR = " / "  # between the names of nested collections or tags, in exports and merges


class AnnotationError(ValueError):
    """A user action was refused; the message says why, in the user's terms."""


class StaleEditError(AnnotationError):
    """Someone else changed (or removed) the annotation since the editor showed it; nothing was written.

    ``current`` is their value (None: there is none now), ``author`` and ``updated`` who wrote it
    and when, ``version`` the version to pass to replace it with ours after all. A collection's
    or tag's refusal has no ``key`` but the ``node_id``; its ``current`` is the node's path as it
    is now ("Marking / Briefing notes"), None when someone deleted it.
    """

    def __init__(
        self,
        what: str,
        key: RecommendationKey | None,
        current: Any,
        author: str,
        updated: str,
        version: int,
        *,
        node_id: int | None = None,
    ) -> None:
        who = author or "someone else"
        when = f" at {updated.replace('T', ' ').rstrip('Z')} UTC" if updated else ""
        if key is None and current is None:
            message = f"That {what} no longer exists: someone else deleted it in the meantime; nothing was changed."
        else:
            shown = "removed it" if current is None else "changed it"
            subject = f"the {what} of recommendation {key.number}" if key is not None else f"this {what}"
            message = (
                f"{who} {shown}{when} while you were editing {subject}: their value is shown; keep it, or replace it with yours."
            )
        super().__init__(message)
        self.what, self.key, self.current, self.author, self.updated, self.version = (
            what,
            key,
            current,
            author,
            updated,
            version,
        )
        self.node_id = node_id


class AnnotationFileError(AnnotationError):
    """A shared annotations file cannot be merged; the message names the line."""


def key_of(value: Sequence[str]) -> RecommendationKey:
    document_key, number = value
    if not document_key or not number:
        raise AnnotationError("A recommendation needs both a document and a number.")
    return RecommendationKey(str(document_key), str(number))


def keys_of(values: Iterable[Sequence[str]]) -> list[RecommendationKey]:
    """Keys in the given order, each once."""
    return list(dict.fromkeys(key_of(value) for value in values))


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def number_order(number: str) -> tuple[int, str]:
    """Sort key putting "2" before "10" and "47" before "47a"."""
    match = re.match(r"(\d+)(.*)", number)
    return (int(match.group(1)), match.group(2)) if match else (1 << 30, number)


def key_order(key: RecommendationKey) -> tuple[str, tuple[int, str]]:
    return key.document_key, number_order(key.number)


COLLECTIONS = "collections"
COLLECTION_ITEMS = "collection_items"
TAGS = "tags"
TAG_ITEMS = "tag_items"
NOTES = "notes"
POSITIONS_KIND = "positions"
PRIORITIES = "priorities"
HIGHLIGHTS = "highlights"
CURATED_LINKS = "curated_links"
REJECTED_LINKS = "rejected_links"


@dataclass(frozen=True)
class Changed:
    """What one action changed.

    ``kind`` says which views to refresh (`COLLECTIONS`, `COLLECTION_ITEMS`,
    `TAGS`, `TAG_ITEMS`, `NOTES`, `POSITIONS_KIND`, `PRIORITIES`, `HIGHLIGHTS`,
    `CURATED_LINKS`, `REJECTED_LINKS`); ``keys`` the recommendations touched;
    ``ids`` the collections or tags touched. ``previous`` is what was there
    before (the old note text, the deleted collection's snapshot...).
    ``inverse(session)`` undoes the action; None when nothing changed.
    """

    kind: str
    keys: tuple[RecommendationKey, ...] = ()
    ids: tuple[int, ...] = ()
    previous: Any = None
    inverse: Callable[[Session], Changed] | None = field(default=None, compare=False, repr=False)
    versions: tuple[int, ...] = ()  # the new version of each of ``keys`` (versioned kinds; 0: removed)

    @property
    def changed_anything(self) -> bool:
        return self.inverse is not None


def no_change(kind: str) -> Changed:
    return Changed(kind)


# ------------------------------------------------------------------ shared by collections and tags


def clean_name(name: str, what: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise AnnotationError(f"A {what} needs a name.")
    if PATH_SEPARATOR.strip() in cleaned.split():
        raise AnnotationError(f"A {what} name cannot contain “{PATH_SEPARATOR.strip()}” between spaces.")
    if len(cleaned) > 200:
        raise AnnotationError(f"A {what} name can have at most 200 characters.")
    return cleaned


def write_positions(session: Session, model: Any, ids: Sequence[int]) -> None:
    """Positions 0, 1, 2... in the order of ``ids``; a plain UPDATE keeping each row's version and
    author (a sibling moving past a collection is no edit of that collection)."""
    if ids:
        table = model.__table__
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(position=bindparam("row_position"), author=table.c.author)
        )
        session.execute(statement, [{"row_id": id_, "row_position": index} for index, id_ in enumerate(ids)])
