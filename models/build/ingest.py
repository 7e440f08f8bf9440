"""From a report file to a document in the library, and rebuilding the embedded corpus.

`ingest_text` is the one pipeline every report goes through (the shipped report,
imports, rebuilds): parse, store, cross-reference, index. It runs in the
caller's transaction: when anything fails, nothing of the report remains.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import tempfile
from collections.abc import Callable
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


def ingest_text(
    session: Session,
    text: str,
    *,
    source_name: str,
    source_hash: str,
    replace: bool = False,
    on_stage: Callable[[str], None] | None = None,
    parsed: Report | None = None,
) -> schema.Document:
    """Parse ``text`` and add it to the library as a cross-referenced document.

    Raises `records.ReportFormatError` for text that is not such a report and
    `DuplicateReportError` when the same report (same meeting and dates, or the
    same bytes) is already there, unless ``replace`` is true. ``on_stage`` is
    called before each stage ("parse", "store", "cross-reference", "recurrence",
    "index"); an exception it raises aborts the ingest (the caller rolls back).
    ``parsed`` is ``parse_report(text)`` when the caller parsed it before its
    transaction began (so that the write lock is not held while parsing, and so
    that the caller can cancel the parse and read its notices).
    """
    stage = on_stage or (lambda _name: None)
    stage("parse")
    report = parsed if parsed is not None else parse_report(text)
    key = document_key(report)
    existing = session.scalar(
        select(schema.Document).where((schema.Document.key == key) | (schema.Document.source_hash == source_hash))
    )
    if existing is not None:
        if not replace:
            raise DuplicateReportError(
                f"The library already holds this report ({existing.title}, from {existing.source_name}). "
                "Use replace to update it; annotations are kept.",
                existing.key,
            )
        delete_document(session, existing)
    stage("store")
    document = store_report(session, report, source_name=source_name, source_hash=source_hash)
    stage("cross-reference")
    enrich.enrich(session, document)
    stage("recurrence")
    recurrence.link_document(session, document)
    stage("index")
    fulltext.index_document(session, document.id)
    session.flush()
    return document


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
    os.replace(temporary, destination)
    return destination
