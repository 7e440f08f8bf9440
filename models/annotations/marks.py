"""One recommendation's own marks: note, position, priority flag, highlights; and hand-made links.

Curated links point from a recommendation to a paragraph of the same document
(``remark_position`` None) or to one remark of it; rejected links hide an
automatic link. Each mutator returns a `Changed` whose ``inverse`` undoes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models.annotations.common import (
    CURATED_LINKS,
    HIGHLIGHTS,
    NOTES,
    POSITIONS,
    POSITIONS_KIND,
    PRIORITIES,
    REJECTED_LINKS,
    AnnotationError,
    Changed,
    RecommendationKey,
    StaleEditError,
    key_of,
    keys_of,
    no_change,
    now,
)
from models.db.user_tables import (
    UserCuratedLink,
    UserHighlight,
    UserNote,
    UserPosition,
    UserPriority,
    UserRejectedLink,
    matches,
)

WHAT = {UserNote: "note", UserPosition: "position", UserPriority: "priority flag"}


def _version(row: Any) -> int:
    """A versioned row's version; 0 for none."""
    return row.version if row is not None else 0


def _stale(session: Session, model: Any, column: str, key: RecommendationKey) -> StaleEditError:
    """The refusal naming what is stored now (read afresh: someone else wrote it)."""
    row = session.execute(select(model).where(matches(model, key)).execution_options(populate_existing=True)).scalar_one_or_none()
    current = getattr(row, column) if row is not None else None
    return StaleEditError(WHAT[model], key, current, row.author if row else "", row.updated if row else "", _version(row))


def _check_seen(session: Session, model: Any, column: str, key: RecommendationKey, row: Any, seen: int | None) -> None:
    """Refuse a write based on what the editor showed (``seen``, a version) if that is no longer stored."""
    if seen is not None and _version(row) != seen:
        raise _stale(session, model, column, key)


def _flush_guarded(session: Session, model: Any, column: str, keys: Sequence[RecommendationKey], apply: Any) -> None:
    """Apply the changes in a savepoint: an update or delete that matches no row (its version moved on)
    or an insert of a row someone else just inserted is refused as stale; the rest of the
    transaction is untouched."""
    try:
        with session.begin_nested():
            apply()
    except (StaleDataError, IntegrityError) as error:
        found = [key for key in keys if _version(session.get(model, tuple(key), populate_existing=True)) > 0]
        raise _stale(session, model, column, found[0] if found else keys[0]) from error


def set_note(
    session: Session, key: Sequence[str], text: str, *, seen_version: int | None = None, expected: str | None = None
) -> Changed:
    """Set the note on a recommendation; empty (or blank) text deletes it.

    The text is kept exactly as typed (NUL characters, which nobody types, are dropped). ``previous`` is the old text ("" if none). With
    ``seen_version`` (the note's version when the editor showed it, 0 for none), a note
    someone else changed since is not overwritten: `StaleEditError` carries their text.
    With ``expected`` (the text this user's own last change left, "" for none), the same
    refusal when the note is no longer that: the inverse (undo) uses it, so an undo never
    overwrites a later change by someone else.
    """
    key = key_of(key)
    row = session.get(UserNote, tuple(key))
    _check_seen(session, UserNote, "text", key, row, seen_version)
    previous = row.text if row else ""
    if expected is not None and previous != expected:
        raise _stale(session, UserNote, "text", key)
    text = text.replace("\x00", "")  # never typed; PostgreSQL cannot store it
    text = text if text.strip() else ""
    if text == previous:
        return no_change(NOTES)

    def apply() -> None:
        nonlocal row
        if not text:
            session.delete(row)
            row = None
        elif row is None:
            row = UserNote(document_key=key.document_key, number=key.number, text=text, updated=now())
            session.add(row)
        else:
            row.text, row.updated = text, now()

    _flush_guarded(session, UserNote, "text", [key], apply)
    version = _version(row)
    return Changed(
        NOTES,
        keys=(key,),
        previous=previous,
        versions=(version,),
        inverse=partial(set_note, key=key, text=previous, expected=text),
    )


def _set_values(
    session: Session,
    model: Any,
    column: str,
    kind: str,
    values: Mapping[RecommendationKey, Any],
    seen: Mapping[RecommendationKey, int] | None = None,
    expected: Mapping[RecommendationKey, Any] | None = None,
) -> Changed:
    """Set (or, for None, clear) one column per recommendation; the inverse restores the old values.

    With ``seen`` (versions the editor showed, 0 for none), values someone else changed since
    are not overwritten (`StaleEditError`).
    """
    previous: dict[RecommendationKey, Any] = {}
    rows: dict[RecommendationKey, Any] = {}
    stamp = now()
    for key, value in values.items():
        row = session.get(model, tuple(key))
        if seen is not None and key in seen:
            _check_seen(session, model, column, key, row, seen[key])
        old = getattr(row, column) if row else None
        if expected is not None and key in expected and old != expected[key]:
            raise _stale(session, model, column, key)
        if old == value:
            continue
        previous[key] = old
        rows[key] = row

    def apply() -> None:
        for key in previous:
            value, row = values[key], rows[key]
            if value is None:
                session.delete(row)
                rows[key] = None
            elif row is None:
                rows[key] = model(document_key=key.document_key, number=key.number, **{column: value}, updated=stamp)
                session.add(rows[key])
            else:
                setattr(row, column, value)
                row.updated = stamp

    if not previous:
        return no_change(kind)
    _flush_guarded(session, model, column, list(previous), apply)
    frozen = tuple(previous.items())
    versions = {key: _version(rows[key]) for key in previous}
    restore = restore_positions if model is UserPosition else restore_priorities
    return Changed(
        kind,
        keys=tuple(previous),
        previous=frozen,
        versions=tuple(versions.values()),
        inverse=partial(restore, values=frozen, expected=tuple((key, values[key]) for key in previous)),
    )


Seen = Iterable[tuple[Sequence[str], int]] | None


def _seen(seen: Seen) -> dict[RecommendationKey, int] | None:
    return None if seen is None else {key_of(k): v for k, v in seen}


def _expected(expected: Iterable[tuple[Sequence[str], Any]] | None) -> dict[RecommendationKey, Any] | None:
    return None if expected is None else {key_of(k): v for k, v in expected}


def set_position(session: Session, keys: Iterable[Sequence[str]], position: str | None, *, seen: Seen = None) -> Changed:
    """Set the delegation's position on recommendations (None clears it); ``previous``: ((key, old), ...).

    ``seen``: ((key, version the editor showed), ...), to refuse overwriting someone else's change.
    """
    if position is not None and position not in POSITIONS:
        raise AnnotationError(f"Unknown position “{position}”; use one of {', '.join(POSITIONS)}.")
    return _set_values(session, UserPosition, "position", POSITIONS_KIND, dict.fromkeys(keys_of(keys), position), _seen(seen))


def restore_positions(
    session: Session,
    values: Iterable[tuple[Sequence[str], str | None]],
    *,
    expected: Iterable[tuple[Sequence[str], Any]] | None = None,
) -> Changed:
    """Put back positions recommendation by recommendation (the inverse of `set_position`); refused
    where the position is no longer the ``expected`` one (someone else changed it since)."""
    return _set_values(
        session, UserPosition, "position", POSITIONS_KIND, {key_of(k): v for k, v in values}, expected=_expected(expected)
    )


def set_priority(session: Session, keys: Iterable[Sequence[str]], flag: bool, *, seen: Seen = None) -> Changed:
    """Flag (or unflag) recommendations as priorities; ``previous``: ((key, was_flagged or None), ...)."""
    return _set_values(
        session, UserPriority, "flag", PRIORITIES, dict.fromkeys(keys_of(keys), True if flag else None), _seen(seen)
    )


def restore_priorities(
    session: Session,
    values: Iterable[tuple[Sequence[str], bool | None]],
    *,
    expected: Iterable[tuple[Sequence[str], Any]] | None = None,
) -> Changed:
    return _set_values(
        session, UserPriority, "flag", PRIORITIES, {key_of(k): (v or None) for k, v in values}, expected=_expected(expected)
    )


# --------------------------------------------------------------------------- highlights


def add_highlight(session: Session, key: Sequence[str], start: int, end: int, colour: str) -> Changed:
    """Highlight characters ``start``..``end`` (exclusive) of the recommendation's text."""
    key = key_of(key)
    if not (0 <= start < end):
        raise AnnotationError("A highlight needs a start before its end.")
    if not colour or len(colour) > 20:
        raise AnnotationError("A highlight needs a colour name of at most 20 characters.")
    found = session.scalar(
        select(UserHighlight.id).where(
            matches(UserHighlight, key),
            UserHighlight.start == start,
            UserHighlight.end == end,
            UserHighlight.colour == colour,
        )
    )
    if found is not None:
        return no_change(HIGHLIGHTS)
    session.add(
        UserHighlight(document_key=key.document_key, number=key.number, start=start, end=end, colour=colour, updated=now())
    )
    session.flush()
    inverse = partial(remove_highlight, key=key, start=start, end=end, colour=colour)
    return Changed(HIGHLIGHTS, keys=(key,), inverse=inverse)


def remove_highlight(session: Session, key: Sequence[str], start: int, end: int, colour: str) -> Changed:
    key = key_of(key)
    result = session.execute(
        delete(UserHighlight).where(
            matches(UserHighlight, key),
            UserHighlight.start == start,
            UserHighlight.end == end,
            UserHighlight.colour == colour,
        )
    )
    if not result.rowcount:
        return no_change(HIGHLIGHTS)
    inverse = partial(add_highlight, key=key, start=start, end=end, colour=colour)
    return Changed(HIGHLIGHTS, keys=(key,), inverse=inverse)


def clear_highlights(session: Session, key: Sequence[str], start: int | None = None, end: int | None = None) -> Changed:
    """Remove the recommendation's highlights in one action: all, or those overlapping ``start``..``end``.

    ``previous`` is the removed highlights as (start, end, colour); ``inverse`` puts them all back.
    """
    key = key_of(key)
    where = [matches(UserHighlight, key)]
    if start is not None and end is not None:
        where += [UserHighlight.start < end, UserHighlight.end > start]
    rows = session.scalars(select(UserHighlight).where(*where).order_by(UserHighlight.start, UserHighlight.id)).all()
    marks = tuple((row.start, row.end, row.colour) for row in rows)
    return remove_highlights(session, key, marks)


def remove_highlights(session: Session, key: Sequence[str], marks: Iterable[tuple[int, int, str]]) -> Changed:
    """Remove the highlights ``marks`` ((start, end, colour) each) of one recommendation, as one action."""
    key = key_of(key)
    removed = tuple(mark for mark in marks if remove_highlight(session, key, *mark).changed_anything)
    if not removed:
        return no_change(HIGHLIGHTS)
    return Changed(HIGHLIGHTS, keys=(key,), previous=removed, inverse=partial(add_highlights, key=key, marks=removed))


def add_highlights(session: Session, key: Sequence[str], marks: Iterable[tuple[int, int, str]]) -> Changed:
    """Add the highlights ``marks`` ((start, end, colour) each) to one recommendation, as one action."""
    key = key_of(key)
    added = tuple(mark for mark in marks if add_highlight(session, key, *mark).changed_anything)
    if not added:
        return no_change(HIGHLIGHTS)
    return Changed(HIGHLIGHTS, keys=(key,), inverse=partial(remove_highlights, key=key, marks=added))


# --------------------------------------------------------------------------- links


def _link_where(model: Any, key: RecommendationKey, paragraph: int, remark_position: int | None):
    remark = model.remark_position.is_(None) if remark_position is None else model.remark_position == remark_position
    return and_(matches(model, key), model.paragraph == paragraph, remark)


def add_curated_link(
    session: Session, key: Sequence[str], paragraph: int, remark_position: int | None = None, note: str = ""
) -> Changed:
    """Link a recommendation to a paragraph (``remark_position`` None) or one remark of it.

    An existing link to the same place is left as it is.
    """
    key = key_of(key)
    if session.scalar(select(UserCuratedLink.id).where(_link_where(UserCuratedLink, key, paragraph, remark_position))):
        return no_change(CURATED_LINKS)
    stamp = now()
    session.add(
        UserCuratedLink(
            document_key=key.document_key,
            number=key.number,
            paragraph=paragraph,
            remark_position=remark_position,
            note=note,
            created=stamp,
            updated=stamp,
        )
    )
    session.flush()
    inverse = partial(remove_curated_link, key=key, paragraph=paragraph, remark_position=remark_position)
    return Changed(CURATED_LINKS, keys=(key,), inverse=inverse)


def remove_curated_link(session: Session, key: Sequence[str], paragraph: int, remark_position: int | None = None) -> Changed:
    key = key_of(key)
    row = session.scalar(select(UserCuratedLink).where(_link_where(UserCuratedLink, key, paragraph, remark_position)))
    if row is None:
        return no_change(CURATED_LINKS)
    note = row.note
    session.delete(row)
    session.flush()
    inverse = partial(add_curated_link, key=key, paragraph=paragraph, remark_position=remark_position, note=note)
    return Changed(CURATED_LINKS, keys=(key,), previous=note, inverse=inverse)


def reject_link(session: Session, key: Sequence[str], paragraph: int, remark_position: int | None) -> Changed:
    """Hide an automatic link from a recommendation to a remark (None: to every remark of the paragraph)."""
    key = key_of(key)
    where = _link_where(UserRejectedLink, key, paragraph, remark_position)
    if session.scalar(select(UserRejectedLink.id).where(where)):
        return no_change(REJECTED_LINKS)
    session.add(
        UserRejectedLink(
            document_key=key.document_key, number=key.number, paragraph=paragraph, remark_position=remark_position, updated=now()
        )
    )
    session.flush()
    inverse = partial(unreject_link, key=key, paragraph=paragraph, remark_position=remark_position)
    return Changed(REJECTED_LINKS, keys=(key,), inverse=inverse)


def unreject_link(session: Session, key: Sequence[str], paragraph: int, remark_position: int | None) -> Changed:
    key = key_of(key)
    where = _link_where(UserRejectedLink, key, paragraph, remark_position)
    result = session.execute(delete(UserRejectedLink).where(where))
    if not result.rowcount:
        return no_change(REJECTED_LINKS)
    inverse = partial(reject_link, key=key, paragraph=paragraph, remark_position=remark_position)
    return Changed(REJECTED_LINKS, keys=(key,), inverse=inverse)


def revert_link(session: Session, key: Sequence[str], paragraph: int, remark_position: int | None, kind: str) -> Changed:
    """Take back the delegate's own hand on the link to a remark, in one action.

    ``kind`` `CURATED_LINKS` removes the curated links to the remark and to its whole
    paragraph ("unlink"); `REJECTED_LINKS` removes the rejections of both ("restore").
    ``inverse`` puts back exactly the rows removed (a curated link with its note).
    """
    key = key_of(key)
    model = UserCuratedLink if kind == CURATED_LINKS else UserRejectedLink
    where = [matches(model, key), model.paragraph == paragraph]
    if remark_position is None:
        where.append(model.remark_position.is_(None))
    else:
        where.append(or_(model.remark_position.is_(None), model.remark_position == remark_position))
    rows = session.scalars(select(model).where(*where).order_by(model.id)).all()
    if not rows:
        return no_change(kind)
    refs = tuple((row.paragraph, row.remark_position, getattr(row, "note", "")) for row in rows)
    for row in rows:
        session.delete(row)
    session.flush()
    inverse = partial(_put_back_links, key=key, refs=refs, kind=kind, paragraph=paragraph, remark_position=remark_position)
    return Changed(kind, keys=(key,), previous=refs, inverse=inverse)


def _put_back_links(
    session: Session, key: RecommendationKey, refs: tuple, kind: str, paragraph: int, remark_position: int | None
) -> Changed:
    for ref_paragraph, ref_position, note in refs:
        if kind == CURATED_LINKS:
            add_curated_link(session, key, ref_paragraph, ref_position, note)
        else:
            reject_link(session, key, ref_paragraph, ref_position)
    inverse = partial(revert_link, key=key, paragraph=paragraph, remark_position=remark_position, kind=kind)
    return Changed(kind, keys=(key,), inverse=inverse)
