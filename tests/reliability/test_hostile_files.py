"""Hostile and broken report files: each fails with one line, the library stays as it was, a batch goes on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from models.build.importing import import_reports
from models.db.library import open_library
from models.parse.docx_limits import MAX_MEMBER_BYTES
from tests.reliability.conftest import DOCX, REPORT, cli, digest, one_line_error


def _rewrite_docx(path: Path, document_xml: bytes, *, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """The shipped DOCX with its word/document.xml replaced."""
    with zipfile.ZipFile(DOCX) as source, zipfile.ZipFile(path, "w", compression) as target:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info.filename)
            target.writestr(info.filename, data, compress_type=compression)
    return path


def _document_xml() -> bytes:
    with zipfile.ZipFile(DOCX) as archive:
        return archive.read("word/document.xml")


def _truncated_xml(tmp: Path) -> Path:
    xml = _document_xml()
    return _rewrite_docx(tmp / "truncated-xml.docx", xml[: len(xml) // 2])


def _corrupt_deflate(tmp: Path) -> Path:
    data = bytearray(DOCX.read_bytes())
    with zipfile.ZipFile(DOCX) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + info.compress_size // 3, start + info.compress_size // 3 + 64):
        data[offset] ^= 0x5A  # the stored bytes damaged in the middle: a bad deflate stream or checksum
    path = tmp / "corrupt-deflate.docx"
    path.write_bytes(bytes(data))
    return path


def _bomb_of_paragraphs(tmp: Path) -> Path:
    """A few hundred KB that inflate past the limit into valid paragraphs."""
    paragraph = b"<w:p><w:r><w:t>States should mark firearms at the time of manufacture.</w:t></w:r></w:p>"
    xml = _document_xml()
    head, tail = xml.split(b"<w:body>", 1)
    count = MAX_MEMBER_BYTES // len(paragraph) + 1000
    return _rewrite_docx(tmp / "paragraph-bomb.docx", head + b"<w:body>" + paragraph * count + tail)


def _bomb_of_nuls(tmp: Path) -> Path:
    return _rewrite_docx(tmp / "nul-bomb.docx", b"\x00" * (MAX_MEMBER_BYTES + 1))


HOSTILE = {
    "truncated XML": (_truncated_xml, "damaged"),
    "corrupt deflate stream": (_corrupt_deflate, "damaged"),
    "paragraphs inflating past the limit": (_bomb_of_paragraphs, "MB limit"),
    "NUL bytes inflating past the limit": (_bomb_of_nuls, "MB limit"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_docx_fails_with_one_line_and_the_library_is_untouched(case, library_copy, tmp_path):
    make, said = HOSTILE[case]
    path = make(tmp_path)
    assert path.stat().st_size < 5 * 2**20  # small on disk, whatever it inflates to
    before = digest(library_copy)
    error = one_line_error(cli("--db", library_copy, "import", path))
    assert path.name in error and said in error
    assert len(error.strip().splitlines()) == 1
    assert digest(library_copy) == before  # refused before the library was opened for writing


def test_a_batch_imports_each_file_and_reports_each_outcome(library_copy, tmp_path, report_variant, report_variant_b):
    bad = _truncated_xml(tmp_path)
    library = open_library(library_copy)
    try:
        result = import_reports(library, [report_variant, bad, REPORT, report_variant_b])
    finally:
        library.close()
    assert [r.path for r in result.imported] == [report_variant, report_variant_b]
    assert [(f.path, f.duplicate_of is not None) for f in result.failed] == [(bad, False), (REPORT, True)]
    run = cli("--db", library_copy, "import", bad, REPORT)  # the command line says the same, one line each
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 2


def test_the_window_reports_each_file_of_a_batch_and_refreshes(qtbot, window, tmp_path, report_variant):
    from PySide6.QtWidgets import QMessageBox

    from tests.gui.test_gui_import import documents_in_tree, wait_for_import

    bad = _truncated_xml(tmp_path)
    window.import_flow.import_files([bad, report_variant])
    wait_for_import(qtbot, window)
    box = window.import_flow.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == "This file could not be imported:"
    assert "truncated-xml.docx is damaged" in box.informativeText() and "1 other file was imported" in box.informativeText()
    assert "Traceback" not in box.informativeText()
    assert len(documents_in_tree(window)) == 2  # refreshed: the good file is in the contents
    box.close()
