"""Sharing annotations between delegates as CSV: export every annotation, merge a colleague's file.

One row per annotation, columns `EXPORT_COLUMNS`; ``kind`` is one of `KINDS`
and ``value`` holds what fits the kind:

    collection_item  the item's index in its collection ("0", "1"...); ``collection`` its path
    tag              (empty); ``tag`` is the tag's path ("Firearms / Marking")
    note             (empty); ``note`` is the text
    position         (empty); ``position`` is one of POSITIONS
    priority         "yes"
    highlight        "start-end:colour", e.g. "12-40:yellow"
    curated_link     "paragraph 12" or "paragraph 12 remark 3"; ``note`` is the link's note
    rejected_link    as curated_link

Merging never overwrites: a note, position or link note that differs from the
local one is reported as a conflict naming both values, and the local one is
kept. Merging the same file twice adds nothing the second time. The file is
checked entirely before anything is written; a bad row raises
`AnnotationFileError` naming its line (line 1 is the header, as in a spreadsheet).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.annotations.common import (
    PATH_SEPARATOR,
    POSITIONS,
    AnnotationError,
    AnnotationFileError,
    RecommendationKey,
    clean_name,
    key_order,
    now,
)
from models.annotations.queries import node_paths
from models.annotations.tree import sibling_named
from models.csvio import read_csv_table, write_csv
from models.db import schema
from models.db.library import current_author
from models.db.user_tables import (
    UserCollection,
    UserCollectionItem,
    UserCuratedLink,
    UserHighlight,
    UserNote,
    UserPosition,
    UserPriority,
    UserRejectedLink,
    UserTag,
    UserTagItem,
    matches,
)

EXPORT_COLUMNS = ("document", "recommendation", "kind", "value", "collection", "tag", "note", "position", "updated", "author")
OPTIONAL_COLUMNS = ("author",)  # added later: files written before it still merge
KINDS = ("collection_item", "tag", "note", "position", "priority", "highlight", "curated_link", "rejected_link")
_YES, _NO = ("yes", "true", "1", ""), ("no", "false", "0")
_HIGHLIGHT = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*:\s*(\S.{0,19})$")
_LINK = re.compile(r"^\s*paragraph\s+(\d+)(?:\s+remark\s+(\d+))?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class MergeReport:
    added: int
    unchanged: int
    conflicts: tuple[str, ...]  # one sentence each, naming the line, the recommendation and both values
    unknown: tuple[str, ...] = ()  # rows naming a document or recommendation not in this library: not merged


# --------------------------------------------------------------------------- export


def _row(key: RecommendationKey, kind: str, updated: str, **cells: Any) -> dict[str, str]:
    row = dict.fromkeys(EXPORT_COLUMNS, "")
    row.update(document=key.document_key, recommendation=key.number, kind=kind, updated=updated)
    row.update({name: "" if value is None else str(value) for name, value in cells.items()})
    return row


def _link_value(paragraph: int, remark_position: int | None) -> str:
    return f"paragraph {paragraph}" + ("" if remark_position is None else f" remark {remark_position}")


def export_annotations(session: Session) -> list[dict[str, str]]:
    """Every annotation as a row of `EXPORT_COLUMNS` (all values text), in a stable order."""
    rows: list[dict[str, str]] = []
    collection_paths, tag_paths = node_paths(session, UserCollection), node_paths(session, UserTag)

    def keyed(model: Any, *columns: Any) -> list[Any]:
        result = session.execute(select(model.document_key, model.number, *columns, model.author)).all()
        return sorted(result, key=lambda r: (key_order(RecommendationKey(r[0], r[1])), tuple(str(c) for c in r[2:])))

    items = session.execute(
        select(
            UserCollectionItem.collection_id,
            UserCollectionItem.document_key,
            UserCollectionItem.number,
            UserCollectionItem.position,
            UserCollectionItem.updated,
            UserCollectionItem.author,
        )
    ).all()
    for cid, d, n, position, updated, author in sorted(items, key=lambda r: (collection_paths[r[0]].casefold(), r[3])):
        rows.append(
            _row(
                RecommendationKey(d, n),
                "collection_item",
                updated,
                value=position,
                collection=collection_paths[cid],
                author=author,
            )
        )
    tagged = session.execute(
        select(UserTagItem.tag_id, UserTagItem.document_key, UserTagItem.number, UserTagItem.updated, UserTagItem.author)
    ).all()
    tagged = sorted(tagged, key=lambda r: (tag_paths[r[0]].casefold(), key_order(RecommendationKey(r[1], r[2]))))
    for tid, d, n, updated, author in tagged:
        rows.append(_row(RecommendationKey(d, n), "tag", updated, tag=tag_paths[tid], author=author))
    for d, n, text, updated, author in keyed(UserNote, UserNote.text, UserNote.updated):
        rows.append(_row(RecommendationKey(d, n), "note", updated, note=text, author=author))
    for d, n, position, updated, author in keyed(UserPosition, UserPosition.position, UserPosition.updated):
        rows.append(_row(RecommendationKey(d, n), "position", updated, position=position, author=author))
    for d, n, flag, updated, author in keyed(UserPriority, UserPriority.flag, UserPriority.updated):
        if flag:
            rows.append(_row(RecommendationKey(d, n), "priority", updated, value="yes", author=author))
    highlight = UserHighlight
    highlights = keyed(highlight, highlight.start, highlight.end, highlight.colour, highlight.updated)
    for d, n, start, end, colour, updated, author in highlights:
        rows.append(_row(RecommendationKey(d, n), "highlight", updated, value=f"{start}-{end}:{colour}", author=author))
    link = UserCuratedLink
    links = keyed(link, link.paragraph, link.remark_position, link.note, link.updated)
    for d, n, paragraph, remark, note, updated, author in links:
        value = _link_value(paragraph, remark)
        rows.append(_row(RecommendationKey(d, n), "curated_link", updated, value=value, note=note, author=author))
    rejected = UserRejectedLink
    rejections = keyed(rejected, rejected.paragraph, rejected.remark_position, rejected.updated)
    for d, n, paragraph, remark, updated, author in rejections:
        rows.append(_row(RecommendationKey(d, n), "rejected_link", updated, value=_link_value(paragraph, remark), author=author))
    return rows


def write_annotations_csv(session: Session, stream: IO[str], *, bom: bool = True) -> int:
    """Write every annotation as CSV (with a BOM, so spreadsheets read non-Latin text, unless ``bom`` is
    false: standard output); return the row count."""
    return write_csv(export_annotations(session), EXPORT_COLUMNS, stream, bom=bom)


# --------------------------------------------------------------------------- merge


@dataclass(frozen=True)
class _Entry:
    """One checked row of a file to merge."""

    line: int
    kind: str
    key: RecommendationKey
    updated: str
    author: str = ""  # who wrote it, as the file says ("" for files without the column)
    path: tuple[str, ...] = ()  # collection or tag
    index: int = 0
    text: str = ""  # note, or a curated link's note
    position: str = ""
    start: int = 0
    end: int = 0
    colour: str = ""
    paragraph: int = 0
    remark: int | None = None


def _stamp(text: str) -> str:
    if not text.strip():
        return now()
    moment = dt.datetime.fromisoformat(text.strip())
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _path(text: str, what: str) -> tuple[str, ...]:
    if not text.strip():
        raise ValueError(f"the {what} is missing")
    return tuple(clean_name(part, what) for part in text.split(PATH_SEPARATOR))


def _entry(line: int, row: Mapping[str, str]) -> _Entry | None:
    """The checked row, None for a row to skip (an unflagged priority), or ValueError saying what is wrong."""
    kind = (row.get("kind") or "").strip()
    if kind not in KINDS:
        raise ValueError(f"unknown kind “{kind}” (expected one of: {', '.join(KINDS)})")
    document, number = (row.get("document") or "").strip(), (row.get("recommendation") or "").strip()
    if not document or not number:
        raise ValueError("the document or the recommendation number is missing")
    common: dict[str, Any] = {
        "line": line,
        "kind": kind,
        "key": RecommendationKey(document, number),
        "author": (row.get("author") or "").strip()[:120],
    }
    try:
        common["updated"] = _stamp(row.get("updated") or "")
    except ValueError:
        raise ValueError(f"“{row.get('updated')}” is not a date and time") from None
    value = row.get("value") or ""
    if kind == "collection_item":
        return _Entry(
            **common, path=_path(row.get("collection") or "", "collection"), index=int(value) if value.strip() else 1 << 30
        )
    if kind == "tag":
        return _Entry(**common, path=_path(row.get("tag") or "", "tag"))
    if kind == "note":
        text = row.get("note") or ""
        if not text.strip():
            raise ValueError("the note is empty")
        return _Entry(**common, text=text)
    if kind == "position":
        position = (row.get("position") or "").strip()
        if position not in POSITIONS:
            raise ValueError(f"unknown position “{position}” (expected one of: {', '.join(POSITIONS)})")
        return _Entry(**common, position=position)
    if kind == "priority":
        if value.strip().lower() in _NO:
            return None
        if value.strip().lower() not in _YES:
            raise ValueError(f"a priority is “yes” or “no”, not “{value}”")
        return _Entry(**common)
    if kind == "highlight":
        match = _HIGHLIGHT.match(value)
        if not match or int(match.group(1)) >= int(match.group(2)):
            raise ValueError(f"a highlight is written start-end:colour (e.g. 12-40:yellow), not “{value}”")
        return _Entry(**common, start=int(match.group(1)), end=int(match.group(2)), colour=match.group(3).strip())
    match = _LINK.match(value)
    if not match:
        raise ValueError(f"a link is written “paragraph 12” or “paragraph 12 remark 3”, not “{value}”")
    remark = int(match.group(2)) if match.group(2) is not None else None
    return _Entry(**common, paragraph=int(match.group(1)), remark=remark, text=row.get("note") or "")


_EXPORTED_BY = "Merge a file written by `export annotations` (a spreadsheet may save it again as CSV)."


def _check_header(columns: Sequence[str]) -> None:
    """Refuse a file whose header (its first line) is not that of an annotations export, or that has none."""
    if not columns:
        raise AnnotationFileError(f"The file is empty: it is not an annotations file. Nothing was merged. {_EXPORTED_BY}")
    missing = [column for column in EXPORT_COLUMNS if column not in columns and column not in OPTIONAL_COLUMNS]
    if missing:
        raise AnnotationFileError(
            f"Line 1: this is not an annotations file (missing columns: {', '.join(missing)}; "
            f"its header reads: {', '.join(str(c) for c in columns) or 'nothing'}). Nothing was merged. {_EXPORTED_BY}"
        )


def _check(rows: Iterable[Mapping[str, str]]) -> list[_Entry]:
    entries: list[_Entry] = []
    errors: list[str] = []
    for index, row in enumerate(rows):
        line = index + 2  # the header is line 1
        if index == 0:
            _check_header(list(row))
        # NUL characters are nobody's text (PostgreSQL cannot even store one): dropped, as a note drops them
        row = {column: value.replace("\x00", "") if isinstance(value, str) else value for column, value in row.items()}
        try:
            entry = _entry(line, row)
        except (ValueError, AnnotationError) as exc:
            errors.append(f"Line {line}: {exc}.")
            continue
        if entry is not None:
            entries.append(entry)
    if errors:
        shown = errors[:10] + ([f"... and {len(errors) - 10} more."] if len(errors) > 10 else [])
        raise AnnotationFileError("The annotations file cannot be merged; nothing was changed.\n" + "\n".join(shown))
    return entries


class _Merger:
    """Applies checked entries to a session, counting and collecting conflicts."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.added = 0
        self.unchanged = 0
        self.conflicts: list[str] = []
        self.nodes: dict[tuple[Any, tuple[str, ...]], int] = {}

    def _node(self, model: Any, path: tuple[str, ...]) -> int:
        """The id of the collection or tag at ``path``, created (with its parents) if missing."""
        if (model, path) in self.nodes:
            return self.nodes[(model, path)]
        parent = self._node(model, path[:-1]) if len(path) > 1 else None
        where = model.parent_id.is_(None) if parent is None else model.parent_id == parent
        sibling = sibling_named(self.session, model, parent, path[-1])  # as a new name would be refused
        found = None if sibling is None else sibling[0]
        if found is None:
            stamp = now()
            fields: dict[str, Any] = {"name": path[-1], "parent_id": parent, "created": stamp, "updated": stamp}
            if model is UserCollection:
                siblings = self.session.scalar(select(func.count()).where(where).select_from(model))
                fields["position"] = siblings
            row = model(**fields)
            self.session.add(row)
            self.session.flush()
            found = row.id
        self.nodes[(model, path)] = found
        return found

    def _conflict(self, entry: _Entry, what: str, here: str, there: str, here_updated: str) -> None:
        newer = "newer" if entry.updated > here_updated else "older" if entry.updated < here_updated else "as recent"
        self.conflicts.append(
            f"Line {entry.line}: recommendation {entry.key.number} of {entry.key.document_key}: {what} differs: "
            f"here “{here}”, in the file “{there}” (the file's is {newer}); kept the one here."
        )

    def _add(self, row: Any) -> None:
        self.session.add(row)
        self.session.flush()
        self.added += 1

    def merge(self, entry: _Entry) -> None:
        s, key = self.session, entry.key
        keyed = {
            "document_key": key.document_key,
            "number": key.number,
            "updated": entry.updated,
            "author": entry.author or current_author(),
        }
        if entry.kind == "collection_item":
            cid = self._node(UserCollection, entry.path)
            item = UserCollectionItem
            if s.scalar(select(item.id).where(item.collection_id == cid, matches(item, key))):
                self.unchanged += 1
                return
            last = s.scalar(select(func.max(item.position)).where(item.collection_id == cid))
            self._add(UserCollectionItem(collection_id=cid, position=0 if last is None else last + 1, **keyed))
            return
        if entry.kind == "tag":
            tid = self._node(UserTag, entry.path)
            if s.scalar(select(UserTagItem.id).where(UserTagItem.tag_id == tid, matches(UserTagItem, key))):
                self.unchanged += 1
            else:
                self._add(UserTagItem(tag_id=tid, **keyed))
            return
        if entry.kind in ("note", "position"):
            model, column = (UserNote, "text") if entry.kind == "note" else (UserPosition, "position")
            theirs = entry.text if entry.kind == "note" else entry.position
            local = s.get(model, tuple(key))
            if local is None:
                self._add(model(**{column: theirs}, **keyed))
            elif getattr(local, column) == theirs:
                self.unchanged += 1
            else:
                self._conflict(entry, entry.kind, getattr(local, column), theirs, local.updated)
            return
        if entry.kind == "priority":
            local = s.get(UserPriority, tuple(key))
            if local is not None and local.flag:
                self.unchanged += 1
            elif local is not None:
                local.flag, local.updated, local.author = True, entry.updated, entry.author or current_author()
                self.added += 1
            else:
                self._add(UserPriority(flag=True, **keyed))
            return
        if entry.kind == "highlight":
            h = UserHighlight
            same = (h.start == entry.start, h.end == entry.end, h.colour == entry.colour)
            if s.scalar(select(h.id).where(matches(h, key), *same)):
                self.unchanged += 1
            else:
                self._add(h(start=entry.start, end=entry.end, colour=entry.colour, **keyed))
            return
        model = UserCuratedLink if entry.kind == "curated_link" else UserRejectedLink
        remark = model.remark_position.is_(None) if entry.remark is None else model.remark_position == entry.remark
        local = s.scalar(select(model).where(matches(model, key), model.paragraph == entry.paragraph, remark))
        if local is None:
            extra = {"note": entry.text, "created": entry.updated} if model is UserCuratedLink else {}
            self._add(model(paragraph=entry.paragraph, remark_position=entry.remark, **extra, **keyed))
        elif model is UserCuratedLink and local.note != entry.text:
            self._conflict(
                entry,
                f"the note of the link to {_link_value(entry.paragraph, entry.remark)}",
                local.note,
                entry.text,
                local.updated,
            )
        else:
            self.unchanged += 1


def merge_annotations(session: Session, rows: Iterable[Mapping[str, str]]) -> MergeReport:
    """Merge exported rows (as `read_csv` returns them) into the library; see the module docstring.

    Raises `AnnotationFileError` before writing anything when a row is malformed;
    the caller's transaction (``with library.write()``) then leaves the library as it was.
    """
    entries = _check(rows)
    entries, unknown = _known(session, entries)
    merger = _Merger(session)
    items = sorted((e for e in entries if e.kind == "collection_item"), key=lambda e: (e.path, e.index, e.line))
    for entry in items + [e for e in entries if e.kind != "collection_item"]:
        merger.merge(entry)
    return MergeReport(merger.added, merger.unchanged, tuple(merger.conflicts), unknown)


def _known(session: Session, entries: list[_Entry]) -> tuple[list[_Entry], tuple[str, ...]]:
    """The entries whose recommendation is in the library, and a sentence for each of the others."""
    rec = schema.Recommendation
    documents = set(session.scalars(select(schema.Document.key)))
    present = {
        RecommendationKey(document, number)
        for document, number in session.execute(
            select(schema.Document.key, rec.number).join(schema.Document, schema.Document.id == rec.document_id)
        )
    }
    known, unknown = [], []
    for entry in entries:
        if entry.key in present:
            known.append(entry)
        elif entry.key.document_key not in documents:
            unknown.append(
                f"Line {entry.line}: the report {entry.key.document_key} is not in this library; "
                f"the {entry.kind.replace('_', ' ')} on its recommendation {entry.key.number} was not merged."
            )
        else:
            unknown.append(
                f"Line {entry.line}: {entry.key.document_key} has no recommendation {entry.key.number}; "
                f"the {entry.kind.replace('_', ' ')} was not merged."
            )
    return known, tuple(unknown)


def merge_annotations_csv(session: Session, stream: IO[str]) -> MergeReport:
    """Merge a CSV written by `write_annotations_csv` (formula guards removed, values read back as typed).

    Its header is checked even when no row follows: an empty file, or one whose header is not an
    export's, raises `AnnotationFileError`; an export's header alone merges nothing.
    """
    columns, rows = read_csv_table(stream)
    _check_header(columns)
    return merge_annotations(session, rows)
