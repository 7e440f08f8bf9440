"""Importing report files (PDF, DOCX, TXT) into a library.

`read_report_file` turns a file into text, deciding its format from its first
bytes (magic numbers), never from its name: a "report.pdf" that holds plain text
is refused with a message saying so. `import_reports` sends each file through
`ingest.prepare_report` (parse, cross-reference, recurrences: a read transaction)
and `ingest.write_report` (store, index: one write transaction per file, the only
time the write lock is held), so a file that fails or is cancelled leaves the
library exactly as it was; files imported before it stay imported.

It is meant to run on a worker thread: it takes the `Library` (each file gets
its own session), reports progress through ``progress(step, fraction)`` and
polls ``cancelled()`` between stages, raising `ImportCancelled`. It never
touches Qt.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml.etree import XMLSyntaxError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.build.ingest import DuplicateReportError, prepare_report, source_hash, write_report
from models.db import schema
from models.db.backups import backup_before
from models.db.library import Library, LibraryError
from models.parse.docx_limits import DocxLimitError, check_docx_archive
from models.parse.docx_text import docx_text
from models.parse.parser import parse_report
from models.parse.records import ReportFormatError

MAX_REPORT_BYTES = 50 * 1024 * 1024  # larger files are refused before they are read (a report is < 5 MB)

Progress = Callable[[str, float], None]
Cancelled = Callable[[], bool]

_EXTENSION_FORMATS = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".text": "txt"}
_FORMAT_NAMES = {"pdf": "a PDF file", "docx": "a Word (DOCX) document", "txt": "a plain text file"}
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u00ad": None,
        "\t": " ",
    }
)


class ReportImportError(ValueError):
    """A file cannot be imported; the message names the file and says why, in the user's terms.

    ``duplicate_of`` is the document key of the report already in the library when
    the file holds that report (from ingest's `DuplicateReportError`), else None.
    """

    def __init__(self, path: Path | str, message: str, duplicate_of: str | None = None) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.duplicate_of = duplicate_of


class ImportCancelled(Exception):
    """The user cancelled; ``result`` holds the files finished before (they stay imported)."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__("Import cancelled.")
        self.result = result


@dataclass(frozen=True)
class ExtractedText:
    text: str  # line ends "\n"; PDF pages separated by form feeds
    source_hash: str  # sha256 of the file's bytes
    format: str  # "pdf", "docx" or "txt", from the content
    source_name: str  # the file's name, as stored with the document


@dataclass(frozen=True)
class ImportedReport:
    path: Path
    document_key: str
    title: str
    format: str
    recommendations: int  # numbered recommendations
    sub_items: int  # their lettered sub-items
    remarks: int
    links: int  # recommendation -> remark links shown
    recurrences: int  # recommendations of other reports this one repeats or revises (pairs)
    replaced: bool
    notices: tuple[str, ...] = ()  # what the delegate should know: an annex or a second copy left out, ...


@dataclass(frozen=True)
class ImportFailure:
    path: Path
    message: str
    duplicate_of: str | None = None  # document key, when the failure is a duplicate


@dataclass(frozen=True)
class ImportResult:
    imported: tuple[ImportedReport, ...] = ()
    failed: tuple[ImportFailure, ...] = ()


# --------------------------------------------------------------------------- reading


def sniff_format(data: bytes) -> str:
    """What the bytes are: "pdf", "docx", "txt", or a description of something else ("a PNG image")."""
    if not data:
        return "empty"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "a damaged or truncated ZIP archive (perhaps a truncated DOCX)"
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            return "an OpenDocument file (save it as DOCX or PDF)"
        return "a ZIP archive"
    for magic, name in (
        (b"\xd0\xcf\x11\xe0", "a Word 97-2003 (.doc) or password-protected Office file (save it as DOCX or PDF)"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"{\\rtf", "an RTF document (save it as DOCX or PDF)"),
        (b"SQLite format 3", "an SQLite database"),
    ):
        if data.startswith(magic):
            return name
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(data):
        return "txt"
    if b"\x00" in data[:4096]:
        return "binary data"
    return "txt"


def _describe(kind: str) -> str:
    return {"pdf": "a PDF file", "docx": "a Word document", "txt": "plain text", "empty": "an empty file"}.get(kind, kind)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) * 0.4 and even == 0:
        return "utf-16-le"
    if even > len(sample) * 0.4 and odd == 0:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM, or with a few damaged bytes), UTF-16 (BOM, or
    ASCII-heavy without), else cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if encoding := _utf16_without_bom(data):
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            return data[: error.start].decode("utf-8")  # a file cut inside its last character
    # Mostly UTF-8 with a few damaged bytes (its other accented letters and quotes decode): UTF-8, each
    # damaged byte shown as "�". Read as cp1252, every one of its good characters would turn to "â€œ".
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    good = sum(1 for character in text if character > "\x7f") - damaged
    return text if good >= damaged else data.decode("cp1252", errors="replace")


def _normalise(text: str) -> str:
    text = re.sub(r"\r\n?", "\n", text).translate(_LIGATURES)
    return text.replace("\x00", "")


def _pdf_text(path: Path, data: bytes, on_page: Callable[[int, int], None] | None) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    name = path.name
    if b"%%EOF" not in data[-2048:]:
        raise ReportImportError(path, f"{name} is truncated or damaged (the PDF has no end); obtain the file again.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReportImportError(path, f"{name} is password-protected; save an unprotected copy and import that.")
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            if on_page is not None:
                on_page(number, len(reader.pages))
            pages.append(page.extract_text() or "")
    except ReportImportError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, NotImplementedError) as error:
        if "decrypt" in str(error).lower() or "encrypt" in str(error).lower():
            raise ReportImportError(path, f"{name} is encrypted in a way that cannot be read ({error}).") from error
        raise ReportImportError(path, f"{name} is damaged and cannot be read as a PDF ({error}).") from error
    if not pages:
        raise ReportImportError(path, f"{name} has no pages.")
    if not any(re.search(r"\w", page) for page in pages):
        raise ReportImportError(
            path, f"{name} has no text layer (it is probably a scanned image); run it through OCR, then import it."
        )
    return "\f".join(pages)


def read_report_file(path: Path | str, *, on_page: Callable[[int, int], None] | None = None) -> ExtractedText:
    """The text of a report file, its hash and real format, or `ReportImportError` naming the file.

    ``on_page(number, pages)`` is called before each PDF page is read (reading a
    PDF's text layer takes about half a second a page).
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ReportImportError(path, f"{name} is a folder, not a report file.")
        if size > MAX_REPORT_BYTES:
            raise ReportImportError(
                path, f"{name} is {size / 2**20:.1f} MB, above the {MAX_REPORT_BYTES // 2**20} MB limit for a report file."
            )
        data = path.read_bytes()
    except OSError as error:
        raise ReportImportError(path, f"Cannot read {name}: {error.strerror or error}.") from error
    if not data.strip():
        raise ReportImportError(path, f"{name} is empty.")
    kind = sniff_format(data)
    claimed = _EXTENSION_FORMATS.get(path.suffix.lower())
    if path.suffix.lower() == ".doc":
        raise ReportImportError(path, f"{name} is a Word 97-2003 file; save it as DOCX or PDF and import that.")
    if claimed and kind != claimed:
        raise ReportImportError(path, f"{name} is not {_FORMAT_NAMES[claimed]} (it looks like {_describe(kind)}).")
    if kind == "pdf":
        text = _pdf_text(path, data, on_page)
    elif kind == "docx":
        try:
            check_docx_archive(data)
            text = docx_text(data)
        except DocxLimitError as error:
            raise ReportImportError(path, f"{name} cannot be imported: {error}.") from error
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError, zlib.error, XMLSyntaxError) as error:
            raise ReportImportError(
                path, f"{name} is damaged and cannot be read as a Word document ({_one_line(error)})."
            ) from error
    elif kind == "txt":
        text = decode_text(data)
    else:
        raise ReportImportError(path, f"{name} cannot be imported: it looks like {kind}. Import PDF, DOCX or TXT files.")
    text = _normalise(text)
    if not text.strip():
        raise ReportImportError(path, f"{name} has no text.")
    return ExtractedText(text=text, source_hash=source_hash(data), format=kind, source_name=name)


# --------------------------------------------------------------------------- importing

# Stages of one file, with the share of its time they take (roughly, measured on the shipped report).
STAGES = (
    ("read", "Reading", 0.40),
    ("parse", "Parsing", 0.15),
    ("cross-reference", "Cross-referencing", 0.28),
    ("recurrence", "Finding recurring recommendations", 0.07),
    ("store", "Storing", 0.05),
    ("index", "Indexing", 0.03),
    ("save", "Saving", 0.02),
)


class _Tracker:
    """Turns the stages of file ``index`` of ``count`` into progress calls and cancellation checks."""

    def __init__(self, name: str, index: int, count: int, progress: Progress | None, cancelled: Cancelled | None):
        self.name, self.index, self.count = name, index, count
        self.progress, self.cancelled = progress, cancelled
        self.last: str | None = None
        self.starts, total = {}, 0.0
        for key, label, share in STAGES:
            self.starts[key] = (label, total)
            total += share

    def check(self) -> None:
        """Between small steps of a stage: raise when the user cancelled."""
        if self.cancelled is not None and self.cancelled():
            raise _Cancel

    def __call__(self, stage: str) -> None:
        if self.cancelled is not None and self.cancelled():
            raise _Cancel
        repeated, self.last = stage == self.last, stage  # "parse": before the read transaction, and in it
        if self.progress is not None and not repeated:
            label, start = self.starts[stage]
            self.progress(f"{self.name}: {label}", (self.index + start) / self.count)

    def page(self, number: int, pages: int) -> None:
        """Within the reading stage: before PDF page ``number`` of ``pages``."""
        if self.cancelled is not None and self.cancelled():
            raise _Cancel
        if self.progress is not None:
            start, share = self.starts["read"][1], STAGES[0][2]
            fraction = (self.index + start + share * (number - 1) / pages) / self.count
            self.progress(f"{self.name}: Reading page {number} of {pages}", fraction)


class _Cancel(Exception):
    """Raised inside a file's transaction to roll it back; becomes ImportCancelled."""


def _counts(session: Session, document: schema.Document) -> tuple[int, int, int, int, int]:
    recommendation_ids = select(schema.Recommendation.id).where(schema.Recommendation.document_id == document.id)
    recommendations = session.scalar(
        select(func.count(schema.Recommendation.id)).where(
            schema.Recommendation.document_id == document.id, schema.Recommendation.parent_id.is_(None)
        )
    )
    sub_items = session.scalar(
        select(func.count(schema.Recommendation.id)).where(
            schema.Recommendation.document_id == document.id, schema.Recommendation.parent_id.is_not(None)
        )
    )
    remarks = session.scalar(select(func.count(schema.Remark.id)).where(schema.Remark.document_id == document.id))
    links = session.scalar(
        select(func.count(schema.Link.id)).where(schema.Link.recommendation_id.in_(recommendation_ids), schema.Link.shown)
    )
    recurrences = session.scalar(
        select(func.count(schema.Recurrence.id)).where(schema.Recurrence.recommendation_id.in_(recommendation_ids))
    )
    return recommendations, sub_items, remarks, links, recurrences


def _import_one(library: Library, path: Path, replace: bool, stage: _Tracker) -> ImportedReport:
    stage("read")
    extracted = read_report_file(path, on_page=stage.page)
    stage("parse")
    try:
        parsed = parse_report(extracted.text, check=stage.check)
    except ReportFormatError as error:
        raise ReportImportError(path, f"{path.name} is not a report of this series: {error}.") from error
    try:
        # Everything that only reads the library (cross-referencing, recurrences) runs in a read
        # transaction, a snapshot that holds no lock: a note typed meanwhile is stored at once.
        with library.begin() as session:
            prepared = prepare_report(
                session,
                extracted.text,
                source_name=extracted.source_name,
                source_hash=extracted.source_hash,
                replace=replace,
                on_stage=stage,
                parsed=parsed,
            )
        # The write lock is held only from here to the commit.
        with library.write() as session:
            before = {(key, digest) for key, digest in session.execute(select(schema.Document.key, schema.Document.source_hash))}
            document = write_report(session, prepared, on_stage=stage)
            replaced = any(key == document.key or digest == extracted.source_hash for key, digest in before)
            counts = _counts(session, document)
            result = ImportedReport(
                path, document.key, document.title, extracted.format, *counts, replaced=replaced, notices=parsed.notices
            )
            stage("save")
    except DuplicateReportError as error:
        raise ReportImportError(
            path, f"{path.name}: the library already holds this report ({error.duplicate_of}).", error.duplicate_of
        ) from error
    return result


def import_reports(
    library: Library,
    paths: Iterable[Path | str],
    *,
    replace: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Import each file in its own transaction; failures are collected, not raised.

    ``progress(step, fraction)`` gets a step such as "Parsing report.pdf" and the
    fraction of the whole import done (0..1). ``cancelled()`` is polled before each
    stage; when it returns true, the file in progress is rolled back and
    `ImportCancelled` is raised carrying what was finished. ``replace`` replaces a
    report already in the library (user annotations, keyed by document key and
    recommendation number, are untouched).
    """
    paths = [Path(p) for p in paths]
    imported: list[ImportedReport] = []
    failed: list[ImportFailure] = []
    library.check_writable()
    # A server's backups are its administrator's (pg_dump), not a file copy; none is kept if nothing imports.
    with backup_before(None if library.shared or not paths else library.path, "replace" if replace else "import") as backup:
        for index, path in enumerate(paths):
            tracker = _Tracker(path.name, index, len(paths), progress, cancelled)
            try:
                imported.append(_import_one(library, path, replace, tracker))
                backup.changed = True
            except _Cancel:
                raise ImportCancelled(ImportResult(tuple(imported), tuple(failed))) from None
            except ReportImportError as error:
                failed.append(ImportFailure(path, str(error), error.duplicate_of))
            except LibraryError as error:
                failed.append(ImportFailure(path, str(error)))
            except (MemoryError, RecursionError, ValueError, LookupError, OSError) as error:
                # Whatever a parser did not foresee: this file fails, the ones before it stay imported.
                failed.append(
                    ImportFailure(
                        path,
                        f"{path.name} could not be imported ({type(error).__name__}: "
                        f"{_one_line(error)}); the library is as it was before this file.",
                    )
                )
    if progress is not None:
        progress("Done", 1.0)
    return ImportResult(tuple(imported), tuple(failed))


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:200] + ("…" if len(text) > 200 else "")


def import_report(library: Library, path: Path | str, *, replace: bool = False) -> ImportedReport:
    """One file, raising `ReportImportError` (``duplicate_of`` set for a duplicate) instead of collecting it."""
    path = Path(path)
    return _import_one(library, path, replace, _Tracker(path.name, 0, 1, None, None))


def describe(report: ImportedReport) -> str:
    """One line for a user: what was imported and what it holds."""
    verb = "Replaced" if report.replaced else "Imported"
    return (
        f"{verb} {report.path.name}: {report.title} — {report.recommendations} recommendations "
        f"({report.sub_items} sub-items), {report.remarks} remarks, {report.links} links to remarks, "
        f"{report.recurrences} recurrences in other reports"
    ) + "".join(f"; note: {notice}" for notice in report.notices)
