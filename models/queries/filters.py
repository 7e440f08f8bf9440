"""Filtering and sorting recommendations in SQL, for the explorer's table.

The table shows one row per top-level recommendation; a sub-item ("47a") that
matches a search, a topic or a speaker makes its parent ("47") match. Every
filter is one SQL predicate on the top-level recommendation, so that
`filtered_ids` is a single query returning ordered ids, and `topic_counts`
one more query: nothing is filtered or sorted in Python. Links count only when
shown (above the display threshold), as in the table's counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Integer, and_, column, distinct, exc, func, or_, select, text
from sqlalchemy import text as text_sql
from sqlalchemy.orm import Session, aliased

from models.annotations.common import POSITION_LABELS
from models.annotations.queries import node_paths
from models.db import fulltext_sql, schema
from models.db.fulltext import QuerySyntaxError, engine_query, time_limit
from models.db.library import unpack_ids
from models.db.user_tables import UserCollection, UserCollectionItem, UserNote, UserPosition, UserPriority, UserTag, UserTagItem
from models.queries.mentions import mention_condition
from models.queries.remarks import speaks_for

SORT_KEYS = ("number", "section", "text", "topics", "remarks", "speakers")


@dataclass(frozen=True)
class RecommendationFilter:
    """What the delegate asked for; the empty filter matches every recommendation."""

    text: str = ""  # FTS5 syntax (see models.db.fulltext)
    topics: frozenset[str] = field(default_factory=frozenset)  # topic keys, combined with AND
    speaker: str | None = None  # a named speaker's label ("Adam Mohammed", "the Secretariat")
    state: str | None = None  # the State of a speaker behind a linked remark, or on whose behalf one spoke
    group: str | None = None  # a regional group of a speaker behind a linked remark
    mention: str | None = None  # a thing named in the recommendation or a remark behind it ("INTERPOL")
    document_id: int | None = None
    document_ids: tuple[int, ...] = ()  # a group of reports (one working group, one year): any of them
    section_id: int | None = None  # a chapter or a section (a chapter includes its sections)
    # The delegate's annotations (models.annotations), matched by (document key, number):
    has_note: bool = False
    position: str | None = None  # one of models.annotations.POSITIONS
    priority: bool = False
    collection_id: int | None = None  # in this collection (not its sub-collections)
    tag_id: int | None = None  # carrying this tag (not its sub-tags)

    def is_empty(self) -> bool:
        return self == RecommendationFilter()

    def uses_annotations(self) -> bool:
        """Whether the matches depend on the delegate's annotations (not only on the corpus)."""
        return any((self.has_note, self.position, self.priority, self.collection_id is not None, self.tag_id is not None))

    def without_topics(self) -> RecommendationFilter:
        return replace(self, topics=frozenset())


def _root(rec) -> object:
    """The top-level recommendation of a recommendation or sub-item."""
    return func.coalesce(rec.parent_id, rec.id)


def _fts_ids(match: str, query: str):
    return text(f"SELECT rowid FROM recommendation_fts WHERE {match}").bindparams(fts=query).columns(column("rowid", Integer))


def _conditions(session: Session, f: RecommendationFilter, rec=schema.Recommendation) -> list:
    """SQL predicates on ``rec`` (a top-level recommendation) for the filter ``f`` (raises `QuerySyntaxError`)."""
    conditions = [rec.parent_id.is_(None)]
    if f.document_id is not None:
        conditions.append(rec.document_id == f.document_id)
    if f.document_ids:
        conditions.append(rec.document_id.in_(f.document_ids))
    if f.section_id is not None:
        section = schema.Section
        conditions.append(
            rec.section_id.in_(select(section.id).where(or_(section.id == f.section_id, section.parent_id == f.section_id)))
        )
    fts = engine_query(session, f.text)
    if fts:
        sub = aliased(schema.Recommendation)
        match = fulltext_sql.match(session, "recommendation_fts", param="fts")
        conditions.append(rec.id.in_(select(_root(sub)).where(sub.id.in_(_fts_ids(match, fts)))))
    for key in sorted(f.topics):
        sub = aliased(schema.Recommendation)
        conditions.append(
            rec.id.in_(
                select(_root(sub))
                .join(schema.TopicTag, schema.TopicTag.recommendation_id == sub.id)
                .join(schema.Topic, schema.Topic.id == schema.TopicTag.topic_id)
                .where(schema.Topic.key == key)
            )
        )
    remark_conditions = []
    if f.speaker:
        remark_conditions.append(schema.Remark.speaker_label == f.speaker)
    if f.state:
        remark_conditions.append(speaks_for("state", f.state))
    if f.group:
        remark_conditions.append(speaks_for("group", f.group))
    if remark_conditions:
        sub = aliased(schema.Recommendation)
        conditions.append(
            rec.id.in_(
                select(_root(sub))
                .select_from(schema.Link)
                .join(sub, sub.id == schema.Link.recommendation_id)
                .join(schema.Remark, schema.Remark.id == schema.Link.remark_id)
                .outerjoin(schema.Participant, schema.Participant.id == schema.Remark.participant_id)
                .where(schema.Link.shown.is_(True), *remark_conditions)
            )
        )
    if f.mention:
        conditions.append(rec.id.in_(_mentioning(f.mention)))
    conditions.extend(_annotation_conditions(f, rec))
    return conditions


def _mentioning(key: str):
    """Top-level ids of recommendations whose text, a sub-item's, or a remark shown behind them names ``key``
    (an instrument also through its articles)."""
    sub = aliased(schema.Recommendation)
    in_text = select(_root(sub)).join(schema.Mention, schema.Mention.recommendation_id == sub.id).where(mention_condition(key))
    in_remarks = (
        select(_root(sub))
        .select_from(schema.Link)
        .join(sub, sub.id == schema.Link.recommendation_id)
        .join(schema.Remark, schema.Remark.id == schema.Link.remark_id)
        .join(
            schema.Mention,
            and_(
                schema.Mention.paragraph_id == schema.Remark.paragraph_id,
                schema.Mention.start >= schema.Remark.start,
                schema.Mention.end <= schema.Remark.end,
            ),
        )
        .where(schema.Link.shown.is_(True), mention_condition(key))
    )
    return in_text.union(in_remarks)


def _annotation_conditions(f: RecommendationFilter, rec) -> list:
    """Predicates on the user_* tables, joined to the corpus by (document key, number); sub-items lift."""
    wanted = []
    if f.has_note:
        wanted.append((UserNote, ()))
    if f.position is not None:
        wanted.append((UserPosition, (UserPosition.position == f.position,)))
    if f.priority:
        wanted.append((UserPriority, (UserPriority.flag.is_(True),)))
    if f.collection_id is not None:
        wanted.append((UserCollectionItem, (UserCollectionItem.collection_id == f.collection_id,)))
    if f.tag_id is not None:
        wanted.append((UserTagItem, (UserTagItem.tag_id == f.tag_id,)))
    conditions = []
    for model, where in wanted:
        sub, document = aliased(schema.Recommendation), aliased(schema.Document)
        conditions.append(
            rec.id.in_(
                select(_root(sub))
                .join(document, document.id == sub.document_id)
                .join(model, and_(model.document_key == document.key, model.number == sub.number))
                .where(*where)
            )
        )
    return conditions


def _readable(f: RecommendationFilter, error: exc.DBAPIError) -> QuerySyntaxError:
    detail = str(error.orig) if error.orig else str(error)
    return QuerySyntaxError(f'Cannot read the search {f.text!r}: {detail}. Use words, "exact phrases", prefix*, OR, NOT.')


def filtered_ids(session: Session, f: RecommendationFilter, sort: str = "number", descending: bool = False) -> list[int]:
    """Ids of the top-level recommendations matching ``f``, in the order asked for.

    Raises `QuerySyntaxError` when the search text is not valid FTS5.
    """
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}")
    rec = schema.Recommendation
    query = select(rec.id).where(*_conditions(session, f))
    # Reading order is id order: a report's rows are stored in reading order, and a
    # report stored later (imported, or replaced) comes after those stored before.
    reading_order = [rec.id]
    if sort == "number":
        primary = [rec.id]
        reading_order = []
    elif sort == "section":
        query = query.join(schema.Section, schema.Section.id == rec.section_id)
        primary = [schema.Section.id]  # sections, too, are stored in reading order
    elif sort == "text":
        primary = [func.lower(rec.text)]
    elif sort == "topics":
        counts = (
            select(schema.TopicTag.recommendation_id.label("rid"), func.count().label("n"))
            .where(schema.TopicTag.recommendation_id.is_not(None))
            .group_by(schema.TopicTag.recommendation_id)
            .subquery()
        )
        query = query.outerjoin(counts, counts.c.rid == rec.id)
        primary = [func.coalesce(counts.c.n, 0)]
    else:
        primary = [rec.shown_remarks if sort == "remarks" else rec.shown_speakers]
    order = [key.desc() for key in primary] if descending else list(primary)
    # One packed row (see `unpack_ids`): the query runs in a single sqlite3 step, GIL released.
    ordered = query.order_by(*order, *reading_order).subquery()
    try:
        with time_limit(session):
            packed = session.scalar(select(func.group_concat(ordered.c.id, ",")))
    except exc.OperationalError as error:
        raise _readable(f, error) from error
    return unpack_ids(packed)


def topic_counts(session: Session, f: RecommendationFilter) -> dict[str, int]:
    """Per topic key: how many recommendations would match if that topic were added to ``f``.

    Topics already in ``f`` count the current matches; topics with no match are absent.
    """
    sub = aliased(schema.Recommendation)
    root = _root(sub)
    matching = select(schema.Recommendation.id).where(*_conditions(session, f))
    query = (
        select(schema.Topic.key, func.count(distinct(root)))
        .join(schema.TopicTag, schema.TopicTag.topic_id == schema.Topic.id)
        .join(sub, sub.id == schema.TopicTag.recommendation_id)
        .where(root.in_(matching))
        .group_by(schema.Topic.key)
    )
    try:
        with time_limit(session):
            return {key: count for key, count in session.execute(query)}
    except exc.OperationalError as error:
        raise _readable(f, error) from error


def first_matching_ids(session: Session, text: str, limit: int) -> tuple[list[int], bool]:
    """The first ``limit`` top-level recommendations matching a search, in reading order, and
    whether that is all of them.

    Found by walking the full-text index in id order and stopping early, so a word
    that most of a large library contains costs as little as a rare one. The table
    shows these at once while `filtered_ids` lists every match. Sub-items lift
    their parent, which they follow in id order. Raises `QuerySyntaxError`.
    """
    fts = engine_query(session, text)
    if not fts:
        return [], True
    # One packed row (see `unpack_ids`), with the count that tells whether the index ran out.
    query = text_sql(
        "SELECT count(*), group_concat(root) FROM (SELECT coalesce(r.parent_id, r.id) AS root "
        "FROM recommendation_fts f JOIN recommendation r ON r.id = f.rowid "
        f"WHERE {fulltext_sql.match(session, 'recommendation_fts', 'f')} ORDER BY f.rowid LIMIT :n) AS first_found"
    )
    try:
        with time_limit(session):
            found, packed = session.execute(query, {"q": fts, "n": limit * 4}).one()  # room for sub-items
    except exc.OperationalError as error:
        raise _readable(RecommendationFilter(text=text), error) from error
    complete = found < limit * 4  # the index ran out before the limit: every match is here
    ids = list(dict.fromkeys(unpack_ids(packed)))
    return (ids, True) if complete else (ids[:limit], False)


@dataclass(frozen=True)
class FilterPart:
    """One restriction of a filter, named for the delegate: ``label`` ("Topic") and ``value`` ("Gender").

    ``field`` is the `RecommendationFilter` field it sets and ``key`` its value there (a topic
    key for "topics"): removing the part resets that field (or drops ``key`` from the topics).
    """

    field: str
    key: object
    label: str
    value: str

    def line(self) -> str:
        return f"{self.label}: {self.value}"


def describe_filter(session: Session, f: RecommendationFilter) -> list[FilterPart]:
    """Every restriction of ``f`` in the delegate's words, in the order of the filter bar.

    Topics are named by their labels, a document by its title, a section by label and title,
    a collection or tag by its path. The GUI's chips and every briefing's "Selection" use it.
    """
    parts = [FilterPart("text", f.text, "Search", f.text)] if f.text.strip() else []
    if f.topics:
        labels = dict(
            session.execute(
                select(schema.Topic.key, schema.Topic.label).where(schema.Topic.key.in_(f.topics)).order_by(schema.Topic.position)
            ).all()
        )
        parts += [
            FilterPart("topics", key, "Topic", labels.get(key, key))
            for key in sorted(f.topics, key=lambda k: (list(labels).index(k) if k in labels else len(labels), k))
        ]
    parts += [
        FilterPart(name, value, label, value)
        for name, label, value in (
            ("speaker", "Speaker", f.speaker),
            ("state", "State", f.state),
            ("group", "Group", f.group),
            ("mention", "Mentions", f.mention),
        )
        if value
    ]
    if f.document_id is not None:
        title = session.scalar(select(schema.Document.title).where(schema.Document.id == f.document_id))
        parts.append(FilterPart("document_id", f.document_id, "Document", title or "a removed report"))
    if f.section_id is not None:
        row = session.execute(select(schema.Section.label, schema.Section.title).where(schema.Section.id == f.section_id)).first()
        parts.append(
            FilterPart("section_id", f.section_id, "Section", f"{row.label}. {row.title}" if row else "a removed section")
        )
    if f.has_note:
        parts.append(FilterPart("has_note", True, "Only", "with a note"))
    if f.priority:
        parts.append(FilterPart("priority", True, "Only", "priorities"))
    if f.position:
        parts.append(FilterPart("position", f.position, "Position", POSITION_LABELS.get(f.position, f.position)))
    if f.collection_id is not None:
        path = node_paths(session, UserCollection).get(f.collection_id, "a deleted collection")
        parts.append(FilterPart("collection_id", f.collection_id, "Collection", path))
    if f.tag_id is not None:
        parts.append(FilterPart("tag_id", f.tag_id, "Tag", node_paths(session, UserTag).get(f.tag_id, "a deleted tag")))
    return parts


def without_part(f: RecommendationFilter, part: FilterPart) -> RecommendationFilter:
    """``f`` less the restriction ``part``."""
    if part.field == "topics":
        return replace(f, topics=f.topics - {part.key})
    return replace(f, **{part.field: getattr(RecommendationFilter(), part.field)})
