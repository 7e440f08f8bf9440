"""Importing further reports from the explorer window (menu, drop), and "Recurs in" across documents."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from sqlalchemy import select

from desktop.itemmodels.roles import KindRole
from models.db import schema
from tests import report_variants

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIREARMS_2022 = "working-group-on-firearms/2022-05-03"


def documents_in_tree(win) -> list[str]:
    model = win.tree_model
    titles = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(KindRole) == "doc":
            titles.append(index.data())
    return titles


def wait_for_import(qtbot, win) -> None:
    qtbot.waitUntil(lambda: win.import_flow.last_result is not None and not win.worker.busy(), timeout=120000)


def recommendation_id(win, key: str, number: str) -> int:
    with win.library.begin() as session:
        return session.scalar(
            select(schema.Recommendation.id)
            .join(schema.Document)
            .where(schema.Document.key == key, schema.Recommendation.number == number)
        )


@pytest.fixture
def firearms_2022(tmp_path, report_text) -> Path:
    path = tmp_path / "wg-firearms-2022.txt"
    path.write_text(report_variants.firearms_2022(report_text), encoding="utf-8")
    return path


def test_import_adds_a_document_and_recurs_in_shows_repeats_and_revisions(qtbot, window, firearms_2022):
    before = documents_in_tree(window)
    assert len(before) == 1
    window.import_flow.import_files([firearms_2022])
    wait_for_import(qtbot, window)
    result = window.import_flow.last_result
    assert result.failed == () and [r.document_key for r in result.imported] == [FIREARMS_2022]
    after = documents_in_tree(window)
    assert len(after) == 2 and before[0] in after
    assert window.statusBar().currentMessage().startswith("Imported wg-firearms-2022.txt")
    assert window.status_counts.text().startswith("2 reports")
    assert window.filter_bar.document.count() == 3  # "All documents" and the two reports
    assert window.table_model.rowCount() == 2 * report_variants.RECOMMENDATIONS

    repeated = recommendation_id(window, FIREARMS_2022, "18")
    window.show_recommendation(repeated)
    text = window.detail.toPlainText()
    assert "Recurs in (1)" in text and "repeated word for word" in text and "earlier report" in text
    assert "similarity 1.00" in text

    revised = recommendation_id(window, FIREARMS_2022, "12")
    window.show_recommendation(revised)
    text, html = window.detail.toPlainText(), window.detail.toHtml()
    assert "Recurs in (1)" in text and "revised" in text
    assert "line-through" in html and "underline" in html
    assert "report on progress at the next meeting" in text

    new = recommendation_id(window, FIREARMS_2022, "21")
    window.show_recommendation(new)
    assert "Recurs in" not in window.detail.toPlainText()


def test_a_bad_file_shows_one_calm_message_and_changes_nothing(qtbot, window, tmp_path):
    bad = tmp_path / "minutes.txt"
    bad.write_text("Minutes of a lunch meeting.\nNothing about recommendations here.\n", encoding="utf-8")
    image = tmp_path / "photo.pdf"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    counts = window.gateway.library_counts()
    window.import_flow.import_files([bad, image])
    wait_for_import(qtbot, window)
    box = window.import_flow.message_box
    assert isinstance(box, QMessageBox) and box.objectName() == "importMessage" and box.isVisible()
    assert box.text() == "These 2 files could not be imported:"
    details = box.informativeText()
    assert "minutes.txt" in details and "photo.pdf is not a PDF file" in details
    assert "Traceback" not in details
    assert window.gateway.library_counts() == counts
    assert len(documents_in_tree(window)) == 1
    assert box.findChild(QPushButton, "importReplace") is None
    box.close()


def test_a_duplicate_offers_replace(qtbot, window):
    window.import_flow.import_files([FIXTURES / "wg-firearms-2021.docx"])
    wait_for_import(qtbot, window)
    box = window.import_flow.message_box
    assert "already holds this report" in box.informativeText()
    replace = box.findChild(QPushButton, "importReplace")
    assert replace is not None and replace.text() == "Replace"
    window.import_flow.last_result = None
    qtbot.mouseClick(replace, Qt.MouseButton.LeftButton)
    wait_for_import(qtbot, window)
    (report,) = window.import_flow.last_result.imported
    assert report.replaced
    assert window.statusBar().currentMessage().startswith("Replaced wg-firearms-2021.docx")
    assert len(documents_in_tree(window)) == 1
    qtbot.waitUntil(lambda: window.reader.report is not None)


def test_cancel_rolls_the_file_back(qtbot, window, firearms_2022, monkeypatch):
    gate, started = threading.Event(), threading.Event()
    real = window.gateway.import_reports

    def held(*args, **kwargs):
        started.set()
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(window.gateway, "import_reports", held)
    counts = window.gateway.library_counts()
    window.import_flow.import_files([firearms_2022])
    qtbot.waitUntil(started.is_set)
    qtbot.mouseClick(window.import_flow.progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    gate.set()
    wait_for_import(qtbot, window)
    assert window.statusBar().currentMessage() == "Import cancelled."
    assert window.gateway.library_counts() == counts


def _file_mime(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def test_an_import_in_view_prepares_the_worker_once(qtbot, window, firearms_2022, monkeypatch):
    prepared = []
    preparing = window.gateway.prepare_import
    window.gateway.prepare_import = lambda: (prepared.append(threading.current_thread()), preparing())
    mime = _file_mime(firearms_2022)
    for _ in range(2):  # files dragged over the window twice
        enter = QDragEnterEvent(
            window.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(window, enter)
    monkeypatch.setattr("desktop.views.import_flow.QFileDialog.getOpenFileNames", lambda *args: ([], ""))
    window.import_flow.choose_files()  # and the dialog opened, then cancelled
    qtbot.waitUntil(lambda: bool(prepared) and not window.worker.busy())
    assert len(prepared) == 1 and prepared[0] is not threading.main_thread()


def test_dropping_a_report_file_on_the_window_imports_it(qtbot, window, firearms_2022, tmp_path):
    mime = _file_mime(firearms_2022)
    enter = QDragEnterEvent(
        window.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    other = tmp_path / "picture.png"
    other.write_bytes(b"\x89PNG")
    other_mime = _file_mime(other)  # the event does not own its mime data: keep it alive
    refused = QDragEnterEvent(
        window.rect().center(), Qt.DropAction.CopyAction, other_mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    refused.setAccepted(False)
    window.dragEnterEvent(refused)
    assert not refused.isAccepted()
    drop = QDropEvent(
        QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(drop)
    assert drop.isAccepted()
    wait_for_import(qtbot, window)
    assert len(documents_in_tree(window)) == 2
