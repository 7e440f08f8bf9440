"""Export, copy, print to PDF from the explorer window, on a copy of the real report (pytest-qt)."""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from desktop.views import export_flow
from desktop.views.export_dialog import EMPTY_SELECTION, ExportDialog
from models.annotations import add_to_collection, create_collection, set_note

DOC = "working-group-on-firearms/2021-05-10"


def select_numbers(win, numbers) -> None:
    model, selection = win.table_model, QItemSelection()
    rows = [row for row in range(model.rowCount()) if model.row_data(row).number in numbers]
    assert len(rows) == len(numbers)
    for row in rows:
        selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
    win.table.selectionModel().select(
        selection, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )


def run_export(
    qtbot, win, dest, *, scope="selection", fmt="docx", grouping="section", per="recommendation", collection_id=None, setup=None
):
    dialog = win.open_export_dialog(scope, collection_id)
    assert isinstance(dialog, ExportDialog) and dialog.objectName() == "exportDialog"
    ExportDialog._select(dialog.format, fmt)
    ExportDialog._select(dialog.grouping, grouping)
    ExportDialog._select(dialog.per, per)
    if setup is not None:
        setup(dialog)
    dialog.destination.setText(str(dest))
    assert dialog.export_button.isEnabled(), dialog.message.text()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.export_flow.notice.path == dest and not win.worker.busy(), timeout=15000)
    assert dest.exists()
    assert win.export_flow.notice.label.text() == f"Exported to {dest.name}"
    assert win.export_flow.notice.open_button.text() == "Open"
    return dialog


def docx_paragraphs(path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def csv_rows(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_selection_to_word_with_headings_and_remark_quotes(qtbot, window, tmp_path):
    select_numbers(window, {"18", "44"})
    dest = tmp_path / "selection.docx"
    run_export(qtbot, window, dest)
    paragraphs = docx_paragraphs(dest)
    headings = [text for style, text in paragraphs if style == "Heading 2"]
    assert headings == ["Recommendation 18", "Recommendation 44"]
    quotes = [text for style, text in paragraphs if style == "Quote"]
    assert any(text.startswith("Miguel Angel Fuentes Peniza") and "(para. 9):" in text for text in quotes)
    assert ("Normal", "Selection: Selected: 2 recommendations") in paragraphs


def test_selection_to_csv_and_options_change_the_output(qtbot, window, tmp_path):
    select_numbers(window, {"18", "44"})
    dest = tmp_path / "selection.csv"
    run_export(qtbot, window, dest, fmt="csv")
    rows = csv_rows(dest)
    assert [(r["number"], r["remarks"]) for r in rows] == [("18", "1"), ("44", "1")]
    links = tmp_path / "links.csv"
    run_export(qtbot, window, links, fmt="csv", per="link")
    assert [(r["recommendation"], r["paragraph"]) for r in csv_rows(links)] == [("18", "9"), ("44", "30")]
    bare = tmp_path / "bare.docx"
    run_export(qtbot, window, bare, setup=lambda d: d.include_remarks.setChecked(False))
    assert not [text for style, text in docx_paragraphs(bare) if style == "Quote"]


def test_filtered_table_after_typing_a_query(qtbot, window, tmp_path):
    qtbot.keyClicks(window.findChild(QLineEdit, "searchField"), "darknet")
    qtbot.waitUntil(lambda: 0 < window.table_model.rowCount() < 20)
    shown = [window.table_model.row_data(row).number for row in range(window.table_model.rowCount())]
    dest = tmp_path / "filtered.csv"
    dialog = run_export(qtbot, window, dest, scope="filter", fmt="csv")
    assert "darknet" in dialog.scope.currentText() or dialog.scope.currentData() == "filter"
    assert [r["number"] for r in csv_rows(dest)] == shown
    word = tmp_path / "filtered.docx"
    run_export(qtbot, window, word, scope="filter")
    assert ("Normal", "Selection: Search: darknet") in docx_paragraphs(word)


def test_collection_grouped_by_topic(qtbot, window, tmp_path):
    with window.library.begin() as session:
        collection_id = create_collection(session, "Side event").ids[0]
        add_to_collection(session, collection_id, [(DOC, "44"), (DOC, "18")])
        set_note(session, (DOC, "18"), "Raise with the Chair")
    dest = tmp_path / "collection.docx"
    dialog = run_export(qtbot, window, dest, scope="collection", collection_id=collection_id, grouping="topic")
    assert dialog.collection.currentData() == collection_id
    paragraphs = docx_paragraphs(dest)
    first_topics = [text for style, text in paragraphs if style == "Heading 1"]
    assert first_topics[:2] == ["Gender", "Capacity-building and technical assistance"]  # 44 first, as collected
    assert "Illicit financial flows" in first_topics and "New technologies" in first_topics
    assert ("Normal", "Note: Raise with the Chair") in paragraphs
    assert ("Normal", "Selection: Collection: Side event") in paragraphs
    csv_dest = tmp_path / "collection.csv"
    run_export(qtbot, window, csv_dest, scope="collection", collection_id=collection_id, fmt="csv")
    assert [(r["number"], r["note"]) for r in csv_rows(csv_dest)] == [("44", ""), ("18", "Raise with the Chair")]


def test_cancel_leaves_no_file(qtbot, window, tmp_path, monkeypatch):
    gate, started = threading.Event(), threading.Event()
    real = window.gateway.briefing

    def slow_briefing(*args, **kwargs):
        started.set()
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(window.gateway, "briefing", slow_briefing)
    select_numbers(window, {"18", "44"})
    dest = tmp_path / "cancelled.docx"
    dialog = window.open_export_dialog()
    dialog.destination.setText(str(dest))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set)
    progress = window.export_flow.progress
    assert progress.objectName() == "progressDialog"
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Cancel
    assert progress.labelText() == "Cancelling…"
    gate.set()
    qtbot.waitUntil(lambda: not window.worker.busy())
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Export cancelled; no file was written.")
    assert list(tmp_path.glob("*.docx")) == [] and list(tmp_path.glob(".~*")) == []


def test_empty_selection_says_so(qtbot, window, tmp_path):
    window.table.selectionModel().clearSelection()
    dialog = window.open_export_dialog("selection")
    assert dialog.scope.currentData() == "filter"  # nothing selected: the filtered table instead
    ExportDialog._select(dialog.scope, "selection")
    assert dialog.message.text() == EMPTY_SELECTION and not dialog.export_button.isEnabled()
    dialog.reject()
    choice = replace(dialog.choice(), destination=tmp_path / "empty.docx")
    window.export_flow.export(choice)  # straight to the flow: no crash, a message
    assert window.statusBar().currentMessage() == EMPTY_SELECTION
    assert not choice.destination.exists()


def test_file_menu_and_context_menu_hold_the_actions(window):
    texts = [action.text() for action in window.file_menu.actions()]
    assert texts[0] == "Open &Shared Library…"  # then a separator
    assert texts[2:6] == ["&Import Reports…", "&Export…", "&Print…", "Save as P&DF…"]
    assert window.actions_["export_selection"] in window.table.actions()
    assert window.table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu


def test_ctrl_c_puts_html_and_text_on_the_clipboard(qtbot, window):
    select_numbers(window, {"18", "44"})
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QApplication.clipboard().mimeData()
    assert mime.hasHtml() and mime.hasText()
    assert "<td>18</td>" in mime.html() and "<td>44</td>" in mime.html() and "New technologies" in mime.html()
    lines = mime.text().splitlines()
    QApplication.clipboard().clear()  # Qt must not tear down a clipboard holding our data at exit
    assert lines[0] == "Number\tRecommendation\tTopics"
    assert [line.split("\t")[0] for line in lines[1:]] == ["18", "44"]


def test_save_as_pdf_writes_the_briefing(qtbot, window, tmp_path):
    select_numbers(window, {"18", "44"})
    dest = tmp_path / "briefing.pdf"
    window.save_pdf(str(dest))
    qtbot.waitUntil(lambda: window.export_flow.notice.path == dest, timeout=15000)
    assert dest.stat().st_size > 1000
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(dest)).pages)  # Qt's gaps read as tabs
    assert "Recommendation 18" in text and "Recommendation 44" in text
    assert "para. 9" in text
    assert window.export_flow.notice.label.text() == "Saved briefing.pdf"


def test_open_offers_the_written_file(qtbot, window, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(export_flow.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    select_numbers(window, {"18"})
    dest = tmp_path / "one.docx"
    run_export(qtbot, window, dest)
    qtbot.mouseClick(window.export_flow.notice.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(dest)]


@pytest.mark.parametrize("scope", ["selection", "filter", "collection"])
def test_default_file_name_follows_the_scope(window, scope):
    dialog = window.open_export_dialog(scope)
    name = Path(dialog.destination.text()).name
    # names without repetition: the "Briefing" collection is "Briefing.docx", not "Briefing - Briefing.docx"
    assert name == "Briefing.docx" if scope == "collection" else name.startswith("Briefing - ")
    # a label with a mnemonic has its buddy, so Qt underlines the letter instead of showing "&"
    assert all(label.buddy() is not None for label in dialog.findChildren(QLabel) if "&" in label.text())
    ExportDialog._select(dialog.format, "csv")
    assert dialog.destination.text().endswith(".csv")
    dialog.reject()


def test_a_collections_context_menu_opens_the_export_dialog_on_it(window, qtbot):
    from models import annotations as ann

    with window.library.begin() as s:
        briefing = ann.briefing_collection_id(s)
    opened = []
    window.open_export_dialog = lambda scope="selection", collection_id=None: opened.append((scope, collection_id))
    window.annotations.sidebar.exportRequested.emit(briefing)
    assert ("collection", briefing) in opened


def test_the_dialog_offers_each_option_only_with_the_format_it_works_with(qtbot, tmp_path):
    dialog = ExportDialog(selection_count=2, filter_count=47, filter_label="", collections=(), folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.at_a_glance.setChecked(True)
    for fmt, word in (("csv", False), ("docx", True), ("csv", False)):
        ExportDialog._select(dialog.format, fmt)
        assert (dialog.grouping.isEnabled(), dialog.at_a_glance.isEnabled(), dialog.per.isEnabled()) == (word, word, not word)
        assert dialog.choice().options.at_a_glance is word  # a CSV export never asks for the Word tables
