"""A shared library is live: other members' changes appear within a second, a lost server is
shown and survived (PostgreSQL only: SQLite has no notices)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTreeView

from desktop.app import create_main_window
from desktop.itemmodels.annotation_tree import COLLECTION
from desktop.itemmodels.roles import CountRole
from models import annotations as a
from tests.conftest import new_pg_library_url
from tests.gui.driving import click_row, colleague_on, key_of, marks
from tests.gui.driving import close_window as _close

LIVE_MS = 1000  # "within a second"


@pytest.fixture
def url(pg_cluster, pg_corpus_template):
    return new_pg_library_url(pg_cluster, pg_corpus_template)


@pytest.fixture
def window(qtbot, url):
    win = create_main_window(url)
    win.library.author = "anna"
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.reader.report is not None)
    qtbot.waitUntil(lambda: win.annotations.live.connected, timeout=5000)
    yield win
    _close(win)


@pytest.fixture
def colleague(url):
    with colleague_on(url) as act:
        yield act


def test_a_colleagues_changes_appear_without_reopening(qtbot, window, colleague):
    click_row(qtbot, window, "18")
    key = key_of(window, "18")
    status = window.findChild(QLabel, "connectionStatus")
    assert "live" in status.text()
    colleague(a.set_note, key, "Ben: ask the capital")
    colleague(a.add_to_collection, colleague(a.briefing_collection_id), [key])
    editor = window.findChild(QPlainTextEdit, "noteEditor")
    qtbot.waitUntil(lambda: editor.toPlainText() == "Ben: ask the capital", timeout=LIVE_MS)
    qtbot.waitUntil(lambda: "✎" in marks(window, "18"), timeout=LIVE_MS)
    sidebar = window.findChild(QTreeView, "annotationSidebar")
    briefing = lambda: sidebar.model().index_of(COLLECTION, window.annotations.ops.gateway.briefing_id())  # noqa: E731
    qtbot.waitUntil(lambda: briefing().data(CountRole) == 1, timeout=LIVE_MS)
    assert "Note by ben" in window.findChild(QLabel, "annotationAuthors").text()


def test_a_server_restart_is_shown_and_survived(qtbot, window, colleague, pg_cluster):
    click_row(qtbot, window, "20")
    key = key_of(window, "20")
    status = window.findChild(QLabel, "connectionStatus")
    pg_cluster.stop()
    try:
        qtbot.waitUntil(lambda: "lost" in status.text(), timeout=5000)
        editor = window.findChild(QPlainTextEdit, "noteEditor")
        editor.setFocus()
        qtbot.keyClicks(editor, "typed while the server was down")
        qtbot.waitUntil(lambda: "not saved" in window.statusBar().currentMessage(), timeout=5000)
        assert editor.toPlainText() == "typed while the server was down"  # the edit stays in the editor
    finally:
        pg_cluster.start()
    qtbot.waitUntil(lambda: "live" in status.text(), timeout=10000)
    qtbot.waitUntil(lambda: colleague(a.recommendation_annotations, key).note == "typed while the server was down", timeout=5000)


def test_choosing_another_row_while_the_server_is_down_keeps_the_details_and_the_row_together(qtbot, window, pg_cluster):
    click_row(qtbot, window, "30")
    status = window.findChild(QLabel, "connectionStatus")
    pg_cluster.stop()
    try:
        qtbot.waitUntil(lambda: "lost" in status.text(), timeout=5000)
        with qtbot.captureExceptions() as raised:
            click_row(qtbot, window, "31")
        assert not raised, raised  # nothing escapes into the event loop
        assert window.detail.detail.number == "30"  # the details, the note and the marks stay on 30 ...
        current = window.table.selectionModel().currentIndex()
        assert window.table_model.row_data(current.row()).number == "30"  # ... and so does the table
        assert "cannot be reached" in window.statusBar().currentMessage()
    finally:
        pg_cluster.start()
    qtbot.waitUntil(lambda: "live" in status.text(), timeout=10000)
    click_row(qtbot, window, "31")
    qtbot.waitUntil(lambda: window.detail.detail.number == "31")
