"""Importing report files: formats, refusals, transactions, cancellation, duplicates, command line."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from models.build import importing
from models.build.importing import (
    ImportCancelled,
    ReportImportError,
    import_report,
    import_reports,
    read_report_file,
)
from models.cli.commands import main
from models.db import schema
from models.db.fulltext import matching_ids
from models.parse.parser import parse_report
from tests import report_variants

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PDF = FIXTURES / "wg-firearms-2021.pdf"
DOCX = FIXTURES / "wg-firearms-2021.docx"
SCANNED = FIXTURES / "scanned.pdf"
FIREARMS_KEY = "working-group-on-firearms/2021-05-10"


def dump(library) -> dict[str, list[tuple]]:
    """Every row of every table (FTS shadow tables included), to compare a library before and after."""
    with library.engine.connect() as connection:
        names = inspect(connection).get_table_names()
        return {name: sorted(map(tuple, connection.execute(text(f'SELECT * FROM "{name}"'))), key=repr) for name in sorted(names)}


@pytest.fixture
def write(tmp_path):
    def write(name: str, data: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return write


# --- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", [PDF, DOCX], ids=["pdf", "docx"])
def test_pdf_and_docx_read_to_the_same_report_as_the_txt(fixture, parsed_report):
    extracted = read_report_file(fixture)
    assert extracted.format == fixture.suffix[1:]
    report = parse_report(extracted.text)
    assert report.title == parsed_report.title
    assert report.sections == parsed_report.sections
    assert report.paragraphs == parsed_report.paragraphs
    assert report.recommendations == parsed_report.recommendations
    assert report.participants == parsed_report.participants
    assert report.statements == parsed_report.statements
    assert report.agenda_items == parsed_report.agenda_items
    assert report.footnotes == parsed_report.footnotes


def test_pdf_pages_are_joined_with_form_feeds_and_ligatures_undone():
    extracted = read_report_file(PDF)
    assert extracted.text.count("\f") >= 10
    assert "\t" not in extracted.text and "\ufb00" not in extracted.text
    assert extracted.source_name == "wg-firearms-2021.pdf"
    assert len(extracted.source_hash) == 64


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),  # with BOM
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
        lambda t: t.encode("cp1252", errors="replace"),  # "Roskić" has no cp1252 form
    ],
    ids=["utf-8", "utf-8 BOM", "utf-16 LE BOM", "utf-16 BE BOM", "CRLF", "cp1252"],
)
def test_text_encodings(encode, report_text, parsed_report, write):
    path = write("report.txt", encode(report_text))
    extracted = read_report_file(path)
    assert extracted.format == "txt"
    assert "\r" not in extracted.text
    assert parse_report(extracted.text).recommendations == parsed_report.recommendations
    assert "Piña" in extracted.text and "“" in extracted.text


@pytest.mark.parametrize("damage", [b"\xed\xa0\x80", b"\xe9"], ids=["invalid sequence", "stray Latin-1 byte"])
def test_a_few_damaged_bytes_in_utf8_text_stay_damaged_bytes_not_mojibake_everywhere(damage, report_text, parsed_report, write):
    data = report_text.encode("utf-8")
    at = data.rindex(b"firearms") + 4  # in the deliberations, not a recommendation
    path = write("report.txt", data[:at] + damage + data[at:])
    text = read_report_file(path).text
    assert "Piña" in text and "“" in text and "â€" not in text
    assert text.count("\ufffd") >= 1 and "fire\ufffd" in text
    assert parse_report(text).recommendations == parsed_report.recommendations


def test_format_comes_from_the_content_not_an_unknown_extension(write):
    path = write("report.download", PDF.read_bytes())
    assert read_report_file(path).format == "pdf"


def test_docx_list_numbers_and_tables_are_written_out():
    from docx import Document

    document = Document()
    document.add_paragraph("Introduction")
    for words in ("States should act.", "States should report."):
        document.add_paragraph(words, style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Spain", "Mexico"
    stream = io.BytesIO()
    document.save(stream)
    from models.parse.docx_text import docx_text

    assert docx_text(stream.getvalue()).split("\n") == [
        "Introduction",
        "1. States should act.",
        "2. States should report.",
        "Spain",
        "Mexico",
    ]


def test_import_each_format_into_an_empty_library(empty_library):
    for path in (PDF,):
        result = import_reports(empty_library, [path])
        assert result.failed == ()
        (report,) = result.imported
        assert (report.document_key, report.format, report.recommendations, report.sub_items) == (FIREARMS_KEY, "pdf", 47, 13)
        assert report.remarks > 40 and report.links > 50 and not report.replaced
    with empty_library.begin() as session:
        assert session.scalar(select(schema.Document.source_name)) == "wg-firearms-2021.pdf"
        assert len(matching_ids(session, "recommendation_fts", "marking")) > 0


# --- refusals: nothing changes --------------------------------------------------------------


def _refused(library, path: Path, message: str) -> None:
    before = dump(library)
    with pytest.raises(ReportImportError, match=message) as raised:
        import_report(library, path)
    assert raised.value.path == path
    assert path.name in str(raised.value)
    assert dump(library) == before
    result = import_reports(library, [path])
    assert [f.path for f in result.failed] == [path] and result.imported == ()
    assert dump(library) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", "Report on the meeting\nI. Introduction\n", r"report\.pdf is not a PDF file \(it looks like plain text\)"),
        ("report.docx", "plain words", r"report\.docx is not a Word \(DOCX\) document \(it looks like plain text\)"),
        ("report.txt", PDF.read_bytes(), r"report\.txt is not a plain text file \(it looks like a PDF file\)"),
        ("report.pdf", DOCX.read_bytes(), r"report\.pdf is not a PDF file \(it looks like a Word document\)"),
        ("report.txt", b"\x89PNG\r\n\x1a\n" + bytes(100), r"not a plain text file \(it looks like a PNG image\)"),
        ("report.doc", b"\xd0\xcf\x11\xe0" + bytes(100), r"report\.doc is a Word 97-2003 file"),
        ("report.txt", b"", r"report\.txt is empty"),
        ("report.pdf", b"", r"report\.pdf is empty"),
        ("report.pdf", PDF.read_bytes()[: len(PDF.read_bytes()) // 2], r"report\.pdf is truncated or damaged"),
        ("report.docx", DOCX.read_bytes()[:20000], r"report\.docx is not a Word \(DOCX\) document \(it looks like a damaged"),
        (
            "novel.txt",
            "It is a truth universally acknowledged.\n",
            r"novel\.txt is not a report of this series: no chapter headings",
        ),
        ("data.bin", bytes(range(256)) * 4, r"data\.bin cannot be imported: it looks like binary data"),
    ],
)
def test_bad_files_are_refused_with_a_message_naming_them(library, write, name, content, message):
    _refused(library, write(name, content), message)


def test_not_a_report_passes_on_the_parser_message(library, write, report_text):
    without = report_text.replace("III. Summary of deliberations", "III. Summary")
    _refused(
        library, write("other.txt", without), r"other\.txt is not a report of this series: no chapter 'Summary of deliberations'"
    )


def test_truncated_text_names_the_missing_structure(library, write, report_text):
    _refused(
        library, write("cut.txt", report_text[: len(report_text) // 3]), r"cut\.txt is not a report of this series: no chapter"
    )


def test_scanned_pdf_has_no_text_layer(library):
    _refused(library, SCANNED, r"scanned\.pdf has no text layer")


def test_encrypted_pdf(library, write):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    stream = io.BytesIO()
    writer.write(stream)
    _refused(library, write("locked.pdf", stream.getvalue()), r"locked\.pdf is password-protected")


def test_oversize_file(library, write, monkeypatch):
    monkeypatch.setattr(importing, "MAX_REPORT_BYTES", 1000)
    _refused(library, write("big.txt", "x" * 1001), r"big\.txt is 0\.0 MB, above the 0 MB limit")  # and nothing stored


def test_missing_file(library, tmp_path):
    _refused(library, tmp_path / "gone.pdf", r"Cannot read gone\.pdf")


# --- cancellation and progress --------------------------------------------------------------


@pytest.mark.parametrize("stage", range(len(importing.STAGES)), ids=[key for key, _, _ in importing.STAGES])
def test_cancelling_at_each_stage_leaves_the_library_unchanged(library, write, report_text, stage):
    later = write("wg-firearms-2022.txt", report_variants.firearms_2022(report_text))
    before = dump(library)
    checks: list[int] = []

    def cancelled() -> bool:  # answers "yes" at the check before stage number `stage`
        checks.append(1)
        return len(checks) > stage

    with pytest.raises(ImportCancelled) as raised:
        import_reports(library, [later], cancelled=cancelled)
    assert len(checks) == stage + 1
    assert raised.value.result.imported == ()
    assert dump(library) == before


def test_cancelling_keeps_the_files_finished_before(empty_library, write, report_text):
    second = write("wg-firearms-2022.txt", report_variants.firearms_2022(report_text))
    steps: list[str] = []

    def cancelled() -> bool:
        return any(s.startswith("wg-firearms-2022.txt: Storing") for s in steps)

    with pytest.raises(ImportCancelled) as raised:
        import_reports(empty_library, [PDF, second], progress=lambda s, f: steps.append(s), cancelled=cancelled)
    assert [r.document_key for r in raised.value.result.imported] == [FIREARMS_KEY]
    with empty_library.begin() as session:
        assert session.scalars(select(schema.Document.key)).all() == [FIREARMS_KEY]


def test_progress_rises_from_zero_to_one(empty_library):
    steps: list[tuple[str, float]] = []
    import_reports(empty_library, [DOCX], progress=lambda s, f: steps.append((s, f)))
    fractions = [f for _, f in steps]
    assert fractions[0] == 0 and fractions[-1] == 1 and fractions == sorted(fractions)
    assert [s for s, _ in steps][:-1] == [  # cross-referenced before it is stored: the write lock is held only to store
        "wg-firearms-2021.docx: Reading",
        "wg-firearms-2021.docx: Parsing",
        "wg-firearms-2021.docx: Cross-referencing",
        "wg-firearms-2021.docx: Finding recurring recommendations",
        "wg-firearms-2021.docx: Storing",
        "wg-firearms-2021.docx: Indexing",
        "wg-firearms-2021.docx: Saving",
    ]


# --- duplicates and replace -----------------------------------------------------------------


@pytest.mark.parametrize("path", [PDF, DOCX], ids=["other bytes", "docx"])
def test_the_same_report_again_is_a_duplicate(library, path):
    before = dump(library)
    result = import_reports(library, [path])
    (failure,) = result.failed
    assert failure.duplicate_of == FIREARMS_KEY
    assert "already holds this report" in failure.message
    assert dump(library) == before


def test_byte_identical_file_is_a_duplicate(library, write, report_text):
    path = write("copy-with-another-name.txt", report_text)
    (failure,) = import_reports(library, [path]).failed
    assert failure.duplicate_of == FIREARMS_KEY


def test_one_file_raises_the_duplicate_with_its_key(library, write, report_text):
    path = write("copy-with-another-name.txt", report_text)
    with pytest.raises(ReportImportError, match="already holds this report") as raised:
        import_report(library, path)
    assert raised.value.duplicate_of == FIREARMS_KEY and raised.value.path == path
    with pytest.raises(ReportImportError) as other:  # any other refusal is not a duplicate
        import_report(library, write("empty.txt", ""))
    assert other.value.duplicate_of is None


def _annotations_available(library) -> bool:
    try:
        import models.annotations  # noqa: F401
    except ImportError:
        return False
    return "user_note" in inspect(library.engine).get_table_names()


def test_replace_keeps_the_document_key_and_annotations(library):
    annotated = _annotations_available(library)
    if annotated:
        from models import annotations

        with library.begin() as session:
            annotations.set_note(session, (FIREARMS_KEY, "47a"), "Check with capital")
    (report,) = import_reports(library, [PDF], replace=True).imported
    assert report.replaced and report.document_key == FIREARMS_KEY
    with library.begin() as session:
        documents = session.execute(select(schema.Document.id, schema.Document.key, schema.Document.source_name)).all()
        assert [(key, name) for _, key, name in documents] == [(FIREARMS_KEY, "wg-firearms-2021.pdf")]
        numbers = session.scalars(
            select(schema.Recommendation.number).where(schema.Recommendation.document_id == documents[0].id)
        ).all()
        assert "47a" in numbers and "18" in numbers
        assert session.scalar(text("SELECT count(*) FROM recommendation")) == 60
        if annotated:
            assert annotations.recommendation_annotations(session, (FIREARMS_KEY, "47a")).note == "Check with capital"


# --- command line ---------------------------------------------------------------------------


def test_cli_import_prints_one_line_per_file(tmp_path, write, report_text, capsys):
    db = tmp_path / "cli.sqlite"
    later = write("wg-firearms-2022.txt", report_variants.firearms_2022(report_text))
    assert main(["--db", str(db), "import", str(PDF), str(later)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[0].startswith("Imported wg-firearms-2021.pdf: Report on the meeting of the Working Group on Firearms")
    assert "47 recommendations (13 sub-items)" in out[0] and "remarks" in out[0] and "links" in out[0]
    assert "0 recurrences" in out[0] and "0 recurrences" not in out[1]


def test_cli_import_failures_exit_1_with_one_line_each(tmp_path, write, capsys):
    db = tmp_path / "cli.sqlite"
    assert main(["--db", str(db), "import", str(DOCX)]) == 0
    capsys.readouterr()
    fake = write("report.pdf", "just text")
    assert main(["--db", str(db), "import", str(DOCX), str(fake)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    errors = captured.err.splitlines()
    assert errors == [
        f"xref-explorer: wg-firearms-2021.docx: the library already holds this report ({FIREARMS_KEY}). "
        "Use --replace to update it (annotations are kept).",
        "xref-explorer: report.pdf is not a PDF file (it looks like plain text).",
    ]
    assert "Traceback" not in captured.err


def test_cli_import_replace(tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    assert main(["--db", str(db), "import", str(DOCX)]) == 0
    assert main(["--db", str(db), "import", "--replace", str(PDF)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Replaced wg-firearms-2021.pdf: ")


def test_cli_import_needs_a_file(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["import"])
    assert raised.value.code == 2


def test_pdf_reading_reports_pages_and_can_be_cancelled_between_them(empty_library):
    steps: list[str] = []
    before = dump(empty_library)

    def cancelled() -> bool:
        return any(": Reading page 3 of" in step for step in steps)

    with pytest.raises(ImportCancelled):
        import_reports(empty_library, [PDF], progress=lambda s, f: steps.append(s), cancelled=cancelled)
    assert steps[1].startswith("wg-firearms-2021.pdf: Reading page 1 of ")
    assert not any("Parsing" in step for step in steps)
    assert dump(empty_library) == before
