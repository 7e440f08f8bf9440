"""The user tables (``user_*``), on the corpus's declarative `Base`.

They never point at corpus ids: a recommendation is (``document_key``,
``number``), a paragraph its number within that document, a remark its position
within the paragraph. Timestamps are UTC ISO 8601 text ("2026-11-28T10:15:30Z"),
so that they sort as text and travel in CSV unchanged. Every row has an
``updated`` stamp for exports and merges, and the ``author`` who last wrote it
(the library's `current_author`, filled in on every insert and update).

Notes, positions, priorities, collections and tags carry a ``version`` (SQLAlchemy's
version counter): an update or delete of a row someone else changed in the meantime
matches no row and fails instead of overwriting their value (see
`annotations.StaleEditError`). A collection's version moves on when it is renamed,
moved or its items reordered; adding or removing items does not (they commute).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column

from models.db.library import current_author
from models.db.schema import Base


class RecommendationKey(NamedTuple):
    """The stable name of a recommendation: ("wg-firearms/2021-05-04", "47a"); user tables name
    recommendations by it, so rebuilding or re-importing a report never loses an annotation."""

    document_key: str
    number: str


_DOC = String(120)  # as schema.Document.key
_NUMBER = String(12)  # as schema.Recommendation.number
_STAMP = String(32)
_AUTHOR = String(120)


def _author() -> Mapped[str]:
    return mapped_column(_AUTHOR, default=current_author, onupdate=current_author, server_default="")


def _version() -> Mapped[int]:
    return mapped_column(Integer, server_default="1")


class UserCollection(Base):
    """A named, ordered list of recommendations; collections nest (``parent_id``)."""

    __tablename__ = "user_collection"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused, so undo can restore them

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("user_collection.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # among its siblings, 0-based
    created: Mapped[str] = mapped_column(_STAMP)
    updated: Mapped[str] = mapped_column(_STAMP)
    author: Mapped[str] = _author()
    version: Mapped[int] = _version()
    __mapper_args__ = {"version_id_col": version}


class UserCollectionItem(Base):
    __tablename__ = "user_collection_item"
    __table_args__ = (
        UniqueConstraint("collection_id", "document_key", "number"),
        Index("ix_user_collection_item_key", "document_key", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("user_collection.id", ondelete="CASCADE"))
    document_key: Mapped[str] = mapped_column(_DOC)
    number: Mapped[str] = mapped_column(_NUMBER)
    position: Mapped[int] = mapped_column(Integer)  # 0-based order within the collection
    updated: Mapped[str] = mapped_column(_STAMP)
    author: Mapped[str] = _author()


class UserTag(Base):
    """A delegate's own label; tags nest (``parent_id``) and sort by name."""

    __tablename__ = "user_tag"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("user_tag.id", ondelete="CASCADE"), index=True)
    created: Mapped[str] = mapped_column(_STAMP)
    updated: Mapped[str] = mapped_column(_STAMP)
    author: Mapped[str] = _author()
    version: Mapped[int] = _version()
    __mapper_args__ = {"version_id_col": version}


class UserTagItem(Base):
    __tablename__ = "user_tag_item"
    __table_args__ = (
        UniqueConstraint("tag_id", "document_key", "number"),
        Index("ix_user_tag_item_key", "document_key", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("user_tag.id", ondelete="CASCADE"))
    document_key: Mapped[str] = mapped_column(_DOC)
    number: Mapped[str] = mapped_column(_NUMBER)
    updated: Mapped[str] = mapped_column(_STAMP)
    author: Mapped[str] = _author()


class UserNote(Base):
    __tablename__ = "user_note"

    document_key: Mapped[str] = mapped_column(_DOC, primary_key=True)
    number: Mapped[str] = mapped_column(_NUMBER, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated: Mapped[str] = mapped_column(_STAMP)
    author: Mapped[str] = _author()
    version: Mapped[int] = _version()
    __mapper_args__ = {"version_id_col": version}


class UserPosition(Base):
    """The delegation's position on a recommendation (one of `POSITIONS`)."""

    __tablename__ = "user_position"
    __table_args__ = (
        CheckConstraint("position IN ('support', 'oppose', 'neutral', 'needs_instructions')", name="ck_user_position_position"),
    )

    document_key: Mapped[str] = mapped_column(_DOC, primary_key=True)
    number: Mapped[str] = mapped_column(_NUMBER, primary_key=True)
    position: Mapped[str] = mapped_column(String(20))
    updated: Mapped[str] = mapped_column(_STAMP)
    author: Mapped[str] = _author()
    version: Mapped[int] = _version()
    __mapper_args__ = {"version_id_col": version}


class UserPriority(Base):
    """A recommendation flagged as a priority; no row means not flagged."""

    __tablename__ = "user_priority"

    document_key: Mapped[str] = mapped_column(_DOC, primary_key=True)
    number: Mapped[str] = mapped_column(_NUMBER, primary_key=True)
    flag: Mapped[bool] = mapped_column(Boolean, default=True)
    updated: Mapped[str] = mapped_column(_STAMP)
    author: Mapped[str] = _author()
    version: Mapped[int] = _version()
    __mapper_args__ = {"version_id_col": version}


class UserHighlight(Base):
    """A coloured span of a recommendation's text (character offsets, end exclusive)."""

    __tablename__ = "user_highlight"
    __table_args__ = (
        UniqueConstraint("document_key", "number", "start", "end", "colour"),
        CheckConstraint('start >= 0 AND "end" > start', name="ck_user_highlight_span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_key: Mapped[str] = mapped_column(_DOC)
    number: Mapped[str] = mapped_column(_NUMBER)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    colour: Mapped[str] = mapped_column(String(20))
    updated: Mapped[str] = mapped_column(_STAMP)
    author: Mapped[str] = _author()


class UserCuratedLink(Base):
    """A link the delegate made from a recommendation to a paragraph, or one remark of it.

    ``remark_position`` is the remark's position within the paragraph, or NULL
    for the whole paragraph (unique per recommendation; enforced here, since
    SQLite unique constraints let NULLs repeat).
    """

    __tablename__ = "user_curated_link"
    __table_args__ = (Index("ix_user_curated_link_key", "document_key", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_key: Mapped[str] = mapped_column(_DOC)
    number: Mapped[str] = mapped_column(_NUMBER)
    paragraph: Mapped[int] = mapped_column(Integer)
    remark_position: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[str] = mapped_column(_STAMP)
    updated: Mapped[str] = mapped_column(_STAMP)
    author: Mapped[str] = _author()


class UserRejectedLink(Base):
    """An automatic link the delegate rejected (NULL remark: every remark of the paragraph)."""

    __tablename__ = "user_rejected_link"
    __table_args__ = (Index("ix_user_rejected_link_key", "document_key", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_key: Mapped[str] = mapped_column(_DOC)
    number: Mapped[str] = mapped_column(_NUMBER)
    paragraph: Mapped[int] = mapped_column(Integer)
    remark_position: Mapped[int | None] = mapped_column(Integer)
    updated: Mapped[str] = mapped_column(_STAMP)
    author: Mapped[str] = _author()


def matches(model: Any, key: RecommendationKey):
    return and_(model.document_key == key.document_key, model.number == key.number)
