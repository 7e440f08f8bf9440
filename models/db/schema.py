"""The library's tables (SQLAlchemy 2 declarative).

Two families of tables live in one SQLite file:

* **Corpus tables** hold what is derived from report texts: documents, their
  section tree, paragraphs, recommendations, participants, and what the
  cross-reference engine computes (remarks, links, topic tags, mentions). They
  are rebuilt wholesale from the source texts and may get new ids each time.
* **User tables** (``user_*``, see `models.annotations`) hold what a delegate
  adds. They never point at corpus ids: they name a recommendation by its stable
  key, the document's ``key`` plus the recommendation ``number`` ("18", "47a"),
  so that rebuilding or re-importing a report never loses an annotation.

The schema is created and upgraded only through Alembic (``models/migrations``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


# --------------------------------------------------------------------------- corpus


class Document(Base):
    """One report."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # stable: survives rebuilds and re-imports
    title: Mapped[str] = mapped_column(Text)
    symbol: Mapped[str | None] = mapped_column(String(80))
    place: Mapped[str | None] = mapped_column(String(120))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    source_name: Mapped[str] = mapped_column(String(255))
    source_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the source file's bytes
    position: Mapped[int] = mapped_column(Integer, default=0)

    sections: Mapped[list[Section]] = relationship(back_populates="document", cascade="all, delete-orphan", passive_deletes=True)


class Section(Base):
    """A chapter ("II") or a section ("II.B") of a document."""

    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("document_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)

    document: Mapped[Document] = relationship(back_populates="sections")
    parent: Mapped[Section | None] = relationship(remote_side=[id])


class Paragraph(Base):
    __tablename__ = "paragraph"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    section: Mapped[Section] = relationship()


class Recommendation(Base):
    """A recommendation ("18") or one of its lettered sub-items ("47a", parent "47")."""

    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(12))
    ordinal: Mapped[int] = mapped_column(Integer)  # numeric part, for sorting
    letter: Mapped[str | None] = mapped_column(String(4))
    position: Mapped[int] = mapped_column(Integer)  # reading order within the document
    text: Mapped[str] = mapped_column(Text)
    # Remarks and distinct speakers behind it through links shown by default, its sub-items' included
    # (`crossref.update_link_counts`): stored so that a table of 50,000 sorts and pages without counting.
    shown_remarks: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)
    shown_speakers: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)

    section: Mapped[Section] = relationship()
    parent: Mapped[Recommendation | None] = relationship(remote_side=[id])


class AgendaItem(Base):
    __tablename__ = "agenda_item"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class Participant(Base):
    """A panellist, the Chair, or a State or organisation of the attendance lists."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    state: Mapped[str | None] = mapped_column(String(120))
    group_name: Mapped[str | None] = mapped_column(String(120))
    function: Mapped[str | None] = mapped_column(Text)
    affiliation: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)

    seats: Mapped[list[PanelSeat]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="PanelSeat.id"
    )


class PanelSeat(Base):
    """A panellist's seat on the panel of one agenda item, in the report's order."""

    __tablename__ = "panel_seat"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    group_name: Mapped[str | None] = mapped_column(String(120))

    participant: Mapped[Participant] = relationship(back_populates="seats")
    agenda_item: Mapped[AgendaItem] = relationship()


class Statement(Base):
    """A delegation or organisation recorded as making a statement under an agenda item."""

    __tablename__ = "statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    capacity: Mapped[str] = mapped_column(String(20))


class DocumentReference(Base):
    """A document the report cites by symbol (CTOC/COP/WG.6/2021/2...)."""

    __tablename__ = "document_reference"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"))
    symbol: Mapped[str] = mapped_column(String(80), index=True)
    description: Mapped[str] = mapped_column(Text)


class Footnote(Base):
    __tablename__ = "footnote"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"))
    marker: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)


# ------------------------------------------------------------ cross-reference (computed)


class Remark(Base):
    """A sentence or run of sentences of the summary of deliberations, by one speaker.

    ``start``/``end`` are character offsets into the paragraph's text.
    """

    __tablename__ = "remark"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer)  # order within the paragraph
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    speaker_kind: Mapped[str] = mapped_column(String(20))  # panellist / chair / secretariat / delegation / anonymous / text
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"), index=True)
    speaker_label: Mapped[str] = mapped_column(String(255))  # "Adam Mohammed", "one speaker", "the Chair"
    quantifier: Mapped[str | None] = mapped_column(String(40))  # "one speaker", "several speakers"...
    on_behalf_of: Mapped[str | None] = mapped_column(String(255))

    paragraph: Mapped[Paragraph] = relationship()
    participant: Mapped[Participant | None] = relationship()


class Link(Base):
    """An automatic link from a recommendation (or sub-item) to a remark behind it."""

    __tablename__ = "link"
    __table_args__ = (UniqueConstraint("recommendation_id", "remark_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    remark_id: Mapped[int] = mapped_column(ForeignKey("remark.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    shown: Mapped[bool] = mapped_column(Boolean)  # above the display threshold
    evidence: Mapped[str] = mapped_column(Text)  # JSON list of shared key phrases

    recommendation: Mapped[Recommendation] = relationship()
    remark: Mapped[Remark] = relationship()


class Topic(Base):
    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)


class TopicTag(Base):
    """A topic assigned to a recommendation or a remark, with the terms that matched."""

    __tablename__ = "topic_tag"
    __table_args__ = (
        Index("ix_topic_tag_recommendation", "recommendation_id", "topic_id"),
        Index("ix_topic_tag_remark", "remark_id", "topic_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"))
    remark_id: Mapped[int | None] = mapped_column(ForeignKey("remark.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    matched: Mapped[str] = mapped_column(Text)  # JSON list of matched terms


class Mention(Base):
    """A State, organisation, instrument, SDG target or symbol named in a text."""

    __tablename__ = "mention"
    __table_args__ = (Index("ix_mention_kind_key", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(160))
    label: Mapped[str] = mapped_column(String(255))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Recurrence(Base):
    """A recommendation of one report that repeats or revises one of another report."""

    __tablename__ = "recurrence"
    __table_args__ = (UniqueConstraint("recommendation_id", "other_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)


class OverviewFact(Base):
    """What the Overview counts of one top-level recommendation, derived from the links and topics.

    A row is either a topic that the recommendation or one of its sub-items carries (``topic_id``), or a
    remark behind it through a link shown by default, by a speaker with a regional group or a State
    (``remark_id``, ``group_name``, ``state``). Filled by `models.build.enrich.update_overview_facts` with
    each report; never edited: the Overview reads it instead of joining every link.
    """

    __tablename__ = "overview_fact"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    remark_id: Mapped[int | None] = mapped_column(ForeignKey("remark.id", ondelete="CASCADE"))
    group_name: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str | None] = mapped_column(String(255))


USER_TABLE_PREFIX = "user_"


def corpus_tables():
    """The corpus tables in dependency order (parents first)."""
    return [t for t in Base.metadata.sorted_tables if not t.name.startswith(USER_TABLE_PREFIX)]
