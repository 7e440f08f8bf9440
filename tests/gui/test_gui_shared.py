"""Two members on one library, in the explorer window (SQLite file and PostgreSQL server).

The window is one member's app; a second `Library` on the same database is the colleague.
Their change must never be overwritten unseen: the typed note stays in the editor, the
colleague's text is shown, and the delegate keeps it or replaces it.
"""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QPushButton

from desktop.app import create_main_window
from models import annotations as a
from models.paths import EMBEDDED_CORPUS
from tests.gui.driving import click_row, colleague_on, key_of
from tests.gui.driving import close_window as _close


@pytest.fixture
def location(tmp_path, engine_name, request):
    if engine_name == "postgresql":
        from tests.conftest import new_pg_library_url

        return new_pg_library_url(request.getfixturevalue("pg_cluster"), request.getfixturevalue("pg_corpus_template"))
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    return path


@pytest.fixture
def window(qtbot, location):
    win = create_main_window(location)
    win.library.author = "anna"
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.reader.report is not None)
    yield win
    _close(win)


@pytest.fixture
def colleague(location):
    with colleague_on(location) as act:
        yield act


def _type_note(qtbot, window, text: str) -> QPlainTextEdit:
    editor = window.findChild(QPlainTextEdit, "noteEditor")
    editor.setFocus()
    qtbot.keyClicks(editor, text)
    return editor


def test_a_note_changed_meanwhile_is_not_overwritten_and_can_be_replaced(qtbot, window, colleague):
    click_row(qtbot, window, "18")
    key = key_of(window, "18")
    colleague(a.set_note, key, "Ben: capital says no")
    editor = _type_note(qtbot, window, "Anna: support")
    conflict = window.findChild(QFrame, "noteConflict")
    qtbot.waitUntil(conflict.isVisible, timeout=3000)
    assert "Ben: capital says no" in window.findChild(QLabel, "noteConflictText").text()
    assert "ben changed it" in window.findChild(QLabel, "noteConflictText").text()
    assert editor.toPlainText() == "Anna: support"  # the edit that could not be saved stays
    assert colleague(a.recommendation_annotations, key).note == "Ben: capital says no"
    qtbot.mouseClick(window.findChild(QPushButton, "replaceWithMineButton"), qtbot_left())
    saved = colleague(a.recommendation_annotations, key)
    assert (saved.note, saved.note_author) == ("Anna: support", "anna")
    assert not conflict.isVisible()
    qtbot.waitUntil(lambda: "Note by anna" in window.findChild(QLabel, "annotationAuthors").text(), timeout=3000)


def test_keeping_their_note_drops_the_typed_text(qtbot, window, colleague):
    click_row(qtbot, window, "20")
    key = key_of(window, "20")
    colleague(a.set_note, key, "Ben's note")
    editor = _type_note(qtbot, window, "mine")
    qtbot.waitUntil(window.findChild(QFrame, "noteConflict").isVisible, timeout=3000)
    qtbot.mouseClick(window.findChild(QPushButton, "keepTheirsButton"), qtbot_left())
    assert editor.toPlainText() == "Ben's note"
    assert colleague(a.recommendation_annotations, key).note == "Ben's note"
    # typing on goes on from their note, with its version: saved normally
    _type_note(qtbot, window, " + Anna")
    qtbot.waitUntil(lambda: colleague(a.recommendation_annotations, key).note == "Ben's note + Anna", timeout=3000)


def test_a_colleagues_note_shown_while_the_editor_has_the_caret_leaves_it_where_typing_goes_on(qtbot, window, colleague):
    click_row(qtbot, window, "21")
    key = key_of(window, "21")
    editor = _type_note(qtbot, window, "")  # the caret in the empty editor: at its end
    colleague(a.set_note, key, "Ben's note")
    panel = window.annotations.panel
    panel.show_annotations(window.annotations.ops.gateway.annotations(key))  # as a live update shows it
    assert editor.toPlainText() == "Ben's note" and editor.textCursor().atEnd()
    _type_note(qtbot, window, " + Anna")
    qtbot.waitUntil(lambda: colleague(a.recommendation_annotations, key).note == "Ben's note + Anna", timeout=3000)
    # a caret in the middle stays where it was
    cursor = editor.textCursor()
    cursor.setPosition(3)
    editor.setTextCursor(cursor)
    colleague(a.set_note, key, "Ben's note + Anna, and Carla")
    panel.show_annotations(window.annotations.ops.gateway.annotations(key))
    assert editor.textCursor().position() == 3


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_file_menu_opens_a_shared_library_and_preferences_name_the_author(qtbot, tmp_path, request, monkeypatch):
    """File > Open Shared Library… opens the server's library in a new window; the Preferences
    name is recorded on annotations instead of the login name."""
    from desktop import shared_library
    from tests.conftest import new_pg_library_url

    url = new_pg_library_url(request.getfixturevalue("pg_cluster"), request.getfixturevalue("pg_corpus_template"))
    path = tmp_path / "mine.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    first = create_main_window(path)
    try:
        texts = [action.text() for action in first.file_menu.actions()]
        assert texts[0] == "Open &Shared Library…" and "Pre&ferences…" in texts
        shared_library.edit_display_name(first, "Anna (mission)")
        assert first.library.author == "Anna (mission)"
        other = shared_library.open_shared_library(first, url)
        assert other is not None and other.library.shared and other.library.author == "Anna (mission)"
        assert other.findChild(QLabel, "connectionStatus") is not None
        warnings = []
        monkeypatch.setattr(shared_library.QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
        assert shared_library.open_shared_library(first, "postgresql+psycopg://nobody@/absent?host=/nonexistent") is None
        assert len(warnings) == 1 and "Cannot open the shared library" in warnings[0]
        qtbot.waitUntil(lambda: other.reader.report is not None)
        _close(other)
        shared_library.edit_display_name(first, "")
        assert first.library.author == first._login_author
    finally:
        _close(first)


def _rename_in_sidebar(qtbot, window, collection_id: int, name: str) -> None:
    """Select the collection in the sidebar, F2, type the new name, Enter: as a user renames one."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLineEdit, QTreeView

    from desktop.itemmodels.annotation_tree import COLLECTION

    sidebar = window.annotations.sidebar
    view = window.findChild(QTreeView, "annotationSidebar")
    sidebar.select(COLLECTION, collection_id)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def _not_heard_yet(window, deaf: bool) -> None:
    """On a server, hold back the colleague's change notice (it takes up to a second to arrive), so
    that the window edits what it showed before it: the case the refusal is for."""
    if window.annotations.live is not None:
        window.annotations.live.blockSignals(deaf)


def _renamed_by_both(qtbot, window, colleague) -> tuple[int, QFrame]:
    """Anna's new collection "Marking", renamed by Ben, then by Anna in the sidebar: refused, the bar shown."""
    marking = window.annotations.ops.create_collection("Marking").ids[0]
    _not_heard_yet(window, True)
    colleague(a.rename_collection, marking, "Marking (Ben)")
    _rename_in_sidebar(qtbot, window, marking, "Marking (Anna)")
    bar = window.findChild(QFrame, "collectionConflict")
    qtbot.waitUntil(bar.isVisible, timeout=3000)
    _not_heard_yet(window, False)
    return marking, bar


def _collection_named(colleague, collection_id: int):
    return next(node for node in colleague(a.collection_tree) if node.id == collection_id)


def test_a_collection_renamed_meanwhile_is_not_overwritten_and_can_be_replaced(qtbot, window, colleague):
    from desktop.itemmodels.annotation_tree import COLLECTION

    marking, bar = _renamed_by_both(qtbot, window, colleague)
    text = window.findChild(QLabel, "collectionConflictText").text()
    assert "ben changed it" in text and "Marking (Ben)" in text
    assert _collection_named(colleague, marking).name == "Marking (Ben)"  # theirs is kept
    tree = window.annotations.sidebar.model
    assert tree.index_of(COLLECTION, marking).data() == "Marking (Ben)"  # and shown
    qtbot.mouseClick(window.findChild(QPushButton, "replaceTheirCollectionButton"), qtbot_left())
    stored = _collection_named(colleague, marking)
    assert (stored.name, stored.author) == ("Marking (Anna)", "anna")
    assert not bar.isVisible()
    qtbot.waitUntil(lambda: tree.index_of(COLLECTION, marking).data() == "Marking (Anna)", timeout=3000)
    # Anna's undo is her own: it puts back the name her change replaced, Ben's.
    assert window.annotations.stack.undoText() == "Rename Marking"
    window.annotations.stack.undo()
    assert _collection_named(colleague, marking).name == "Marking (Ben)"


def test_keeping_their_collection_and_adding_to_a_deleted_one(qtbot, window, colleague):
    from desktop.itemmodels.annotation_tree import COLLECTION

    ops = window.annotations.ops
    marking, bar = _renamed_by_both(qtbot, window, colleague)
    qtbot.mouseClick(window.findChild(QPushButton, "keepTheirCollectionButton"), qtbot_left())
    assert not bar.isVisible() and _collection_named(colleague, marking).name == "Marking (Ben)"
    # Ben deletes it; Anna's add (a drop, or Add to Collection…) is refused, nothing recreated.
    colleague(a.delete_collection, marking)
    steps = window.annotations.stack.count()
    assert ops.add_to_collection(marking, [key_of(window, "18")]) is None
    qtbot.waitUntil(bar.isVisible, timeout=3000)
    assert "no longer exists" in window.findChild(QLabel, "collectionConflictText").text()
    assert not window.findChild(QPushButton, "replaceTheirCollectionButton").isVisible()
    assert window.annotations.stack.count() == steps
    assert not window.annotations.sidebar.model.index_of(COLLECTION, marking).isValid()
    assert all(node.id != marking for node in colleague(a.collection_tree))


def _ink_after_the_name(window, collection_id: int) -> int:
    """Pixels drawn (not the row's background) to the right of the collection's name, in its name column."""
    from PySide6.QtWidgets import QTreeView

    from desktop.itemmodels.annotation_tree import COLLECTION

    view = window.findChild(QTreeView, "annotationSidebar")
    index = window.annotations.sidebar.model.index_of(COLLECTION, collection_id)
    view.scrollTo(index)
    rect = view.visualRect(index)
    image = view.viewport().grab().toImage()
    name_end = rect.left() + view.iconSize().width() + 24 + view.fontMetrics().horizontalAdvance(index.data())
    background = image.pixelColor(rect.right() - 1, rect.top() + 1)
    return sum(
        image.pixelColor(x, y) != background for x in range(name_end, rect.right()) for y in range(rect.top(), rect.bottom())
    )


def test_the_sidebar_says_who_changed_a_collection_once_there_are_two_authors(qtbot, window, colleague):
    import datetime as dt

    from desktop.itemmodels.annotation_tree import COLLECTION, TAG
    from desktop.itemmodels.roles import ChangedRole

    ops, sidebar = window.annotations.ops, window.annotations.sidebar
    marking = ops.create_collection("Marking").ids[0]
    ops.set_priority([key_of(window, "18")], True)
    tree = sidebar.model
    index = tree.index_of(COLLECTION, marking)
    # A private library (every annotation by anna): names only.
    assert index.data(ChangedRole) == "" and "Last changed" not in index.data(Qt.ItemDataRole.ToolTipRole)
    before = _ink_after_the_name(window, marking)  # the last letter's edge at most
    assert before < 30
    _not_heard_yet(window, True)
    colleague(a.rename_collection, marking, "Marking (Ben)")
    urgent = colleague(a.create_tag, "urgent").ids[0]
    sidebar.refresh()  # on a server the change notice does this within a second
    _not_heard_yet(window, False)
    today = dt.datetime.now(dt.UTC)
    when = f"{today.day} {today:%b}"
    index = tree.index_of(COLLECTION, marking)
    assert index.data() == "Marking (Ben)" and index.data(ChangedRole) == f"ben, {when}"
    assert f"Last changed by ben, {when} {today.year}" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert tree.index_of(TAG, urgent).data(ChangedRole) == f"ben, {when}"
    briefing = tree.index_of(COLLECTION, ops.gateway.briefing_id())
    assert briefing.data(ChangedRole) == when  # made by the library itself: no author, only when
    qtbot.waitUntil(lambda: _ink_after_the_name(window, marking) > before + 100, timeout=3000)  # painted after the name
