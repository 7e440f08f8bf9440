"""From a report file to a document in the library, and rebuilding the embedded corpus.

Every report goes through one pipeline (the shipped report, imports, rebuilds):
`prepare_report` parses and cross-references it, reading the library only;
`write_report` stores it with what was found and indexes it. `ingest_text` runs
both in the caller's transaction; an import runs the first in a read transaction
and the second in a short write transaction, so that the write lock is held only
while the report is written. When anything fails, nothing of the report remains.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.build import enrich, recurrence
from models.build.store import delete_document, document_key, store_report
from models.db import fulltext, schema
from models.db.library import open_library, set_journal_mode
from models.engines import mentions, topics
from models.engines.lexical import default_thesaurus
from models.parse import textrepair
from models.parse.parser import parse_report
from models.parse.records import Report
from models.paths import EMBEDDED_CORPUS, REPORTS_DIR


class DuplicateReportError(ValueError):
    """The library already holds this report; the message names it, ``duplicate_of`` is its document key.

    The one exception for a duplicate: importing a file turns it into a `ReportImportError`
    naming the file, with the same ``duplicate_of``.
    """

    def __init__(self, message: str, duplicate_of: str) -> None:
        super().__init__(message)
        self.duplicate_of = duplicate_of


def source_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class PreparedReport:
    """A report parsed and cross-referenced against the library, ready to be written.

    `prepare_report` makes it reading the library only; `write_report` writes it. Between the
    two the library may have changed (another program imported or replaced a report):
    ``documents`` is the library's documents as `prepare_report` saw them, so that
    `write_report` can tell.
    """

    report: Report
    source_name: str
    source_hash: str
    replace: bool
    analysis: enrich.Analysis
    recurrences: tuple[recurrence.Pair, ...]
    replaces: int | None  # the id of the document it replaces
    documents: tuple[int, ...]


def _existing(session: Session, report: Report, source_hash: str, replace: bool) -> schema.Document | None:
    """The document ``report`` would replace (None: it is new); `DuplicateReportError` when there is one
    and not ``replace``."""
    existing = session.scalar(
        select(schema.Document).where(
            (schema.Document.key == document_key(report)) | (schema.Document.source_hash == source_hash)
        )
    )
    if existing is not None and not replace:
        raise DuplicateReportError(
            f"The library already holds this report ({existing.title}, from {existing.source_name}). "
            "Use replace to update it; annotations are kept.",
            existing.key,
        )
    return existing


def _documents(session: Session) -> tuple[int, ...]:
    return tuple(session.scalars(select(schema.Document.id).order_by(schema.Document.id)))


def prepare_report(
    session: Session,
    text: str,
    *,
    source_name: str,
    source_hash: str,
    replace: bool = False,
    on_stage: Callable[[str], None] | None = None,
    parsed: Report | None = None,
) -> PreparedReport:
    """Parse ``text`` and cross-reference it with the library read through ``session``, writing nothing.

    Raises `records.ReportFormatError` for text that is not such a report and
    `DuplicateReportError` when the same report (same meeting and dates, or the
    same bytes) is already there, unless ``replace`` is true. ``on_stage`` is
    called before each stage ("parse", "cross-reference", "recurrence"); an
    exception it raises aborts. ``parsed`` is ``parse_report(text)`` when the
    caller parsed it already (so that it can cancel the parse and read its notices).
    """
    stage = on_stage or (lambda _name: None)
    stage("parse")
    report = parsed if parsed is not None else parse_report(text)
    existing = _existing(session, report, source_hash, replace)
    stage("cross-reference")
    analysis = enrich.analyse(report, check=lambda: stage("cross-reference"))
    stage("recurrence")
    replaces = existing.id if existing is not None else None
    pairs = recurrence.find_recurrences(session, analysis.recommendations, replaces)
    return PreparedReport(report, source_name, source_hash, replace, analysis, tuple(pairs), replaces, _documents(session))


def write_report(session: Session, prepared: PreparedReport, *, on_stage: Callable[[str], None] | None = None) -> schema.Document:
    """Write a prepared report into the library (the caller's transaction, which should hold the write lock).

    The duplicate check is made again: a report imported by another program since
    `prepare_report` is refused (`DuplicateReportError`) unless replacing. When the
    library's documents changed since, the recurrences are found again here, so that
    they are those of the library written to (a rare case: two imports at once).
    """
    stage = on_stage or (lambda _name: None)
    report = prepared.report
    existing = _existing(session, report, prepared.source_hash, prepared.replace)
    pairs = prepared.recurrences
    if _documents(session) != prepared.documents:
        stage("recurrence")
        pairs = recurrence.find_recurrences(session, prepared.analysis.recommendations, existing.id if existing else None)
    stage("store")
    if existing is not None:
        delete_document(session, existing)
    stored = store_report(session, report, source_name=prepared.source_name, source_hash=prepared.source_hash)
    enrich.store_analysis(session, stored, prepared.analysis)
    recurrence.store_recurrences(session, stored.recommendations, pairs)
    stage("index")
    fulltext.index_document(session, stored.document.id)
    session.flush()
    return stored.document


def ingest_text(session: Session, text: str, *, on_stage: Callable[[str], None] | None = None, **options) -> schema.Document:
    """Parse ``text`` and add it to the library as a cross-referenced document, in the caller's transaction.

    `prepare_report` (``options`` are its keywords: ``source_name``, ``source_hash``,
    ``replace``, ``parsed``) then `write_report`, in one session: building the corpus,
    previews, benchmarks. An import prepares in a read transaction and writes in a
    short write transaction (`models.build.importing`).
    """
    prepared = prepare_report(session, text, on_stage=on_stage, **options)
    return write_report(session, prepared, on_stage=on_stage)


def warm_up() -> None:
    """Load and compile once per process what every import needs: the word list, the topic
    lexicon, the thesaurus, the catalogue of mentions, the parser's patterns (by parsing the
    shipped report) and numpy (the linker's co-occurrence space).

    The desktop app runs this on its worker as soon as the delegate opens the import dialog or
    drags files over the window, so the import itself does not wait for it.
    """
    importlib.import_module("numpy")
    textrepair.load_word_list()
    topics.default_lexicon()
    default_thesaurus()
    mentions.find_mentions("")
    for path in shipped_reports()[:1]:
        parse_report(path.read_text(encoding="utf-8"))


def shipped_reports(directory: Path = REPORTS_DIR) -> list[Path]:
    return sorted(directory.glob("*.txt"))


def build_corpus(destination: Path = EMBEDDED_CORPUS, directory: Path = REPORTS_DIR) -> Path:
    """Rebuild the embedded corpus file from the report texts in ``directory``.

    The new library is written beside ``destination`` and moved into place only
    when complete, so a failed build leaves the old file as it was.
    """
    destination = Path(destination)
    handle, temporary = tempfile.mkstemp(suffix=".sqlite", dir=destination.parent)
    os.close(handle)
    os.unlink(temporary)
    library = open_library(Path(temporary))
    try:
        with library.write() as session:
            for path in shipped_reports(directory):
                data = path.read_bytes()
                ingest_text(session, data.decode("utf-8"), source_name=path.name, source_hash=source_hash(data))
        library.close()
        set_journal_mode(Path(temporary), "DELETE")  # one self-contained file to commit
    except BaseException:
        library.close()
        Path(temporary).unlink(missing_ok=True)
        raise
    for suffix in ("-wal", "-shm", "-journal"):  # left by the file being replaced: they would be replayed onto the new one
        Path(f"{destination}{suffix}").unlink(missing_ok=True)
    os.replace(temporary, destination)
    return destination
