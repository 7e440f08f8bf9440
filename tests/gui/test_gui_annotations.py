"""Annotating in the explorer window on a copy of the real report, driven like a user would (pytest-qt).

Every change is checked in the database through a separate session while the window stays open;
undo and redo go through the window's QUndoStack and the Edit menu names each step.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent, QTextCursor
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QMessageBox, QPlainTextEdit, QTreeView

from desktop.itemmodels.annotation_tree import COLLECTION, TAG
from desktop.itemmodels.mime import payload_of
from desktop.itemmodels.roles import CountRole
from desktop.views import annotation_dialogs
from models import annotations as a
from models.annotations import drops
from models.db.library import open_library
from tests.gui.driving import click_anchor, click_row, key_of, marks, row_of

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def stored(db_path):
    """Reads what is committed in the library file, through its own connection."""
    library = open_library(db_path)

    def read(query, *args):
        with library.begin() as session:
            return query(session, *args)

    yield read
    library.close()


def edit_menu_texts(win) -> list[str]:
    menu = next(act.menu() for act in win.menuBar().actions() if act.text() == "&Edit")
    return [act.text() for act in menu.actions()]


def select_rows(win, *numbers: str) -> None:
    from PySide6.QtCore import QItemSelectionModel

    selection = win.table.selectionModel()
    selection.clearSelection()
    for number in numbers:
        selection.select(
            win.table_model.index(row_of(win, number), 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_sidebar_shows_the_briefing_collection_with_named_widgets(window):
    sidebar = window.findChild(QTreeView, "annotationSidebar")
    assert sidebar is not None and sidebar.accessibleName()
    briefing = sidebar.model().index_of(COLLECTION, window.annotations.ops.gateway.briefing_id())
    assert briefing.data() == "Briefing" and briefing.data(CountRole) == 0
    for name in (
        "noteEditor",
        "positionSelector",
        "priorityFlag",
        "highlightButton",
        "collectionItems",
        "annotationFilter",
        "filterBySelection",
    ):
        widget = window.findChild(object, name)
        assert widget is not None and widget.accessibleName(), name
    assert edit_menu_texts(window)[:2] == ["Undo", "Redo"]
    assert window.actions_["undo"].shortcut().toString() == "Ctrl+Z"


def test_note_typed_is_in_the_database_after_the_debounce_without_closing(qtbot, window, stored):
    click_row(qtbot, window, "18")
    editor = window.findChild(QPlainTextEdit, "noteEditor")
    editor.setFocus()
    qtbot.keyClicks(editor, "Check with capital")
    key = key_of(window, "18")
    qtbot.waitUntil(lambda: stored(a.recommendation_annotations, key).note == "Check with capital", timeout=3000)
    assert window.annotations.stack.count() == 1  # one burst, one step
    assert edit_menu_texts(window)[0] == "Undo Edit note on recommendation 18"
    assert "✎" in marks(window, "18")
    # another recommendation ends the burst; undo restores the empty note in the file and the editor
    click_row(qtbot, window, "20")
    window.actions_["undo"].trigger()
    assert stored(a.recommendation_annotations, key).note == ""
    click_row(qtbot, window, "18")
    assert editor.toPlainText() == ""


def test_note_is_saved_when_another_recommendation_is_selected_before_the_delay(qtbot, window, stored):
    click_row(qtbot, window, "3")
    editor = window.findChild(QPlainTextEdit, "noteEditor")
    qtbot.keyClicks(editor, "quick")
    click_row(qtbot, window, "4")  # at once, before 500 ms
    assert stored(a.recommendation_annotations, key_of(window, "3")).note == "quick"


def test_position_priority_and_highlight_from_the_widgets_show_as_markers(qtbot, window, stored):
    click_row(qtbot, window, "18")
    key = key_of(window, "18")
    position = window.findChild(QComboBox, "positionSelector")
    offered = [(position.itemData(i), position.itemText(i)) for i in range(position.count()) if position.itemData(i)]
    assert offered == list(a.POSITION_LABELS.items())
    filters = window.findChild(QComboBox, "annotationFilter")
    assert [filters.itemText(i) for i in range(filters.count())][-len(a.POSITIONS) :] == list(a.POSITION_LABELS.values())
    position.setCurrentIndex(position.findData("oppose"))
    window.findChild(QCheckBox, "priorityFlag").click()
    assert marks(window, "18") == "★ ✗"
    assert stored(a.annotation_markers, [key])[key].priority
    # select the first word of the recommendation text in the details, then Highlight
    detail = window.detail
    text = detail.detail.text
    block = detail.document().begin()
    while block.text() != text:
        block = block.next()
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + len(text.split()[0]), QTextCursor.MoveMode.KeepAnchor)
    detail.setTextCursor(cursor)
    window.annotations.panel.highlight.click()
    assert stored(a.recommendation_annotations, key).highlights == (a.Highlight(0, len(text.split()[0]), "yellow"),)
    assert "background-color:#fde68a" in detail.toHtml().replace(" ", "") or "#fde68a" in detail.toHtml()
    assert edit_menu_texts(window)[0] == "Undo Highlight in recommendation 18"
    window.actions_["undo"].trigger()
    window.actions_["undo"].trigger()
    assert marks(window, "18") == "✗"
    assert not window.findChild(QCheckBox, "priorityFlag").isChecked()
    window.actions_["redo"].trigger()
    assert marks(window, "18") == "★ ✗"


def test_add_to_collection_from_the_keyboard_then_undo_redo(qtbot, window, stored, monkeypatch):
    briefing = window.annotations.ops.gateway.briefing_id()
    monkeypatch.setattr(annotation_dialogs, "choose", lambda *args, **kwargs: briefing)
    click_row(qtbot, window, "3")
    select_rows(window, "3", "18", "20")
    qtbot.keyClick(window.table, Qt.Key.Key_C, CTRL_SHIFT)
    items = stored(a.collection_items, briefing)
    assert [item.key.number for item in items] == ["3", "18", "20"]
    sidebar = window.annotations.sidebar
    assert sidebar.model.index_of(COLLECTION, briefing).data(CountRole) == 3
    assert edit_menu_texts(window)[0] == "Undo Add 3 recommendations to Briefing"
    assert marks(window, "18") == "▤1"
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(a.collection_items, briefing) == ()
    assert sidebar.model.index_of(COLLECTION, briefing).data(CountRole) == 0 and marks(window, "18") == ""
    assert edit_menu_texts(window)[1] == "Redo Add 3 recommendations to Briefing"
    qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL_SHIFT)
    assert len(stored(a.collection_items, briefing)) == 3
    # the collection's items, in order, and a click shows one
    sidebar.select(COLLECTION, briefing)
    assert sidebar.items_model.rowCount() == 3
    sidebar.items_view.clicked.emit(sidebar.items_model.index(2))
    assert window.detail.detail.number == "20"


def test_tag_with_a_new_tag_and_filter_the_table_by_it(qtbot, window, stored, monkeypatch):
    monkeypatch.setattr(annotation_dialogs, "choose", lambda *args, **kwargs: (annotation_dialogs.NEW, "Marking"))
    click_row(qtbot, window, "18")
    window.actions_["tag"].trigger()
    tags = stored(a.tag_tree)
    assert [t.name for t in tags] == ["Marking"] and tags[0].count == 1
    assert edit_menu_texts(window)[0] == "Undo Tag recommendation 18 Marking"
    sidebar = window.annotations.sidebar
    sidebar.select(TAG, tags[0].id)
    sidebar.only_selected.setChecked(True)
    qtbot.waitUntil(lambda: [window.table_model.row_data(r).number for r in range(window.table_model.rowCount())] == ["18"])
    sidebar.only_selected.setChecked(False)
    sidebar.filter_combo.setCurrentIndex(2)  # priorities: none yet
    qtbot.waitUntil(window.panel.is_empty_shown)
    sidebar.filter_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.table_model.rowCount() == 47)


def test_link_to_from_the_keyboard_then_reject_and_restore_in_the_details(qtbot, window, stored, monkeypatch):
    click_row(qtbot, window, "18")
    detail = window.detail.detail
    key = key_of(window, "18")
    linked = {item.paragraph_number for item in detail.links}
    report = window.gateway.report_view(detail.document_id)
    choice = next(
        payload
        for _, payload in annotation_dialogs.link_options(report)
        if payload.kind == drops.PARAGRAPH and payload.paragraph not in linked
    )
    monkeypatch.setattr(annotation_dialogs, "choose", lambda *args, **kwargs: choice)
    window.actions_["link_to"].trigger()
    assert stored(a.recommendation_annotations, key).curated_links == (a.LinkRef(choice.paragraph, None, ""),)
    assert any(item.source == "curated" for item in window.detail.detail.links)
    assert "curated" in window.detail.toPlainText()
    assert edit_menu_texts(window)[0] == f"Undo Link ¶ {choice.paragraph} to recommendation 18"
    # reject an automatic link by its "reject" link, then restore it
    automatic = next(item for item in window.detail.detail.links if item.source == "automatic")
    click_anchor(qtbot, window.detail, f"x-reject:{automatic.remark_id}")
    assert automatic.remark_id in {item.remark_id for item in window.detail.detail.rejected}
    assert "Rejected links (1)" in window.detail.toPlainText()
    assert stored(a.recommendation_annotations, key).rejected_links
    click_anchor(qtbot, window.detail, f"x-restore:{automatic.remark_id}")
    assert not window.detail.detail.rejected
    window.actions_["undo"].trigger()  # undo the restore: rejected again
    assert window.detail.detail.rejected


def test_remark_dragged_from_the_reader_and_dropped_on_the_details_links_it(qtbot, window, stored):
    click_row(qtbot, window, "18")
    key = key_of(window, "18")
    reader = window.reader
    qtbot.waitUntil(lambda: reader.report is not None and reader.report.document_id == window.detail.detail.document_id)
    block = next(b for b in reader.report.blocks if b.kind == "paragraph" and len(b.remarks) > 1)
    position, start, end = block.remarks[1]
    _, text_position, _ = reader._paragraphs[block.id]
    cursor = QTextCursor(reader.browser.document())
    cursor.setPosition(text_position + start + 1)
    cursor.setPosition(text_position + end - 1, QTextCursor.MoveMode.KeepAnchor)
    reader.browser.setTextCursor(cursor)
    mime = reader.browser.createMimeDataFromSelection()
    payload = payload_of(mime)
    assert payload == drops.DropPayload(
        drops.REMARK, document_key=key.document_key, paragraph=int(block.label), remark_position=position
    )
    assert mime.text()
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction | Qt.DropAction.LinkAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.detail.dropEvent(event)
    assert stored(a.recommendation_annotations, key).curated_links == (a.LinkRef(int(block.label), position, ""),)
    # a remark of the details drags out as a remark payload, and onto a table row links it there
    item = window.detail.detail.links[0]
    remark_mime = QMimeData()
    remark = window.detail.remark_payload(item.remark_id)
    from desktop.itemmodels.mime import payload_mime

    remark_mime = payload_mime(remark)
    row = window.table_model.index(row_of(window, "20"), 2)
    assert window.table_model.dropMimeData(remark_mime, Qt.DropAction.CopyAction, -1, -1, row)
    assert stored(a.recommendation_annotations, key_of(window, "20")).curated_links == (
        a.LinkRef(item.paragraph_number, item.remark_position, ""),
    )


def test_create_rename_nest_and_delete_collections_with_confirmation(qtbot, window, stored, monkeypatch):
    sidebar = window.annotations.sidebar
    sidebar.new_collection()
    new = next(node for node in stored(a.collection_tree) if node.name == "New collection")
    assert sidebar.view.state() == QTreeView.State.EditingState  # inline rename opened
    editor = sidebar.view.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Firearms")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [n.name for n in stored(a.collection_tree)] == ["Briefing", "Firearms"])
    assert edit_menu_texts(window)[0] == "Undo Rename New collection"
    sidebar.select(COLLECTION, new.id)
    sidebar.new_collection()  # inside the selected one
    assert [c.name for c in stored(a.collection_tree)[1].children] == ["New collection"]
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Cancel)
    sidebar.select(COLLECTION, new.id)
    sidebar.delete_selected()
    assert len(stored(a.collection_tree)) == 2
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    sidebar.delete_selected()
    assert [n.name for n in stored(a.collection_tree)] == ["Briefing"]
    assert edit_menu_texts(window)[0] == "Undo Delete collection Firearms"
    window.actions_["undo"].trigger()
    tree = stored(a.collection_tree)
    assert [n.name for n in tree] == ["Briefing", "Firearms"] and tree[1].children
    assert sidebar.model.index_of(COLLECTION, tree[1].children[0].id).isValid()


def test_undoing_the_delete_of_the_collection_that_scoped_the_table_scopes_it_again(qtbot, window, stored, monkeypatch):
    sidebar, ops = window.annotations.sidebar, window.annotations.ops
    ops.create_collection("Alpha")
    alpha = next(node.id for node in stored(a.collection_tree) if node.name == "Alpha")
    ops.add_to_collection(alpha, [key_of(window, number) for number in ("3", "5", "7")])
    sidebar.select(COLLECTION, alpha)
    sidebar.only_selected.setChecked(True)
    qtbot.waitUntil(lambda: window.filter_settled and len(window.table_model.ids()) == 3)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    sidebar.delete_selected()
    # nothing is left to scope the table to: the box and the chip go with the collection
    qtbot.waitUntil(lambda: window.filter_settled and len(window.table_model.ids()) == 47)
    assert not sidebar.only_selected.isChecked() and not window.filter_bar.active.chips()
    window.actions_["undo"].trigger()
    qtbot.waitUntil(lambda: window.filter_settled and len(window.table_model.ids()) == 3)
    assert sidebar.selected() == (COLLECTION, alpha) and sidebar.only_selected.isChecked()
    assert [chip.property("filterField") for chip in window.filter_bar.active.chips()] == ["collection_id"]
    # once another node is chosen, a collection coming back does not take the view
    window.actions_["redo"].trigger()
    qtbot.waitUntil(lambda: len(window.table_model.ids()) == 47)
    sidebar.select(COLLECTION, ops.gateway.briefing_id())
    window.actions_["undo"].trigger()
    qtbot.waitUntil(lambda: window.filter_settled)
    assert sidebar.selected() == (COLLECTION, ops.gateway.briefing_id()) and not sidebar.only_selected.isChecked()


def test_a_tag_and_a_collection_come_off_the_selected_recommendations_from_the_annotate_menu(qtbot, window, stored, monkeypatch):
    ops = window.annotations.ops
    ops.create_tag("Marking")
    ops.create_tag("Unused")
    ops.create_collection("Alpha")
    tags = {t.name: t.id for t in stored(a.tag_tree)}
    alpha = next(c.id for c in stored(a.collection_tree) if c.name == "Alpha")
    ops.tag(tags["Marking"], [key_of(window, "18"), key_of(window, "19")])
    ops.add_to_collection(alpha, [key_of(window, "18")])
    offered = []

    def choose(parent, title, prompt, options, allow_new=None):
        offered.append((title, prompt, [label for label, _ in options]))
        return options[0][1]

    monkeypatch.setattr(annotation_dialogs, "choose", choose)
    select_rows(window, "18", "19")
    window.actions_["untag"].trigger()
    # only the tags the selection carries are offered; the tag comes off both, in one step
    assert offered[-1] == ("Remove Tag", "Take this tag off the 2 selected recommendations:", ["Marking"])
    assert stored(a.recommendation_annotations, key_of(window, "19")).tags == ()
    assert edit_menu_texts(window)[0] == "Undo Remove tag Marking from 2 recommendations"
    window.actions_["remove_from_collection"].trigger()
    assert offered[-1][2] == ["Alpha"]
    assert stored(a.collection_items, alpha) == ()
    window.actions_["undo"].trigger()
    window.actions_["undo"].trigger()
    assert [item.key.number for item in stored(a.collection_items, alpha)] == ["18"]
    assert [ref.path for ref in stored(a.recommendation_annotations, key_of(window, "19")).tags] == ["Marking"]
    # nothing to take off: the status bar says so and no chooser opens
    select_rows(window, "20")
    window.actions_["untag"].trigger()
    assert len(offered) == 2 and window.statusBar().currentMessage() == "The selected recommendation has no tag."
    # both are in the table's context menu
    assert {window.actions_["untag"], window.actions_["remove_from_collection"]} <= set(window.table.actions())


def test_a_collection_is_reordered_and_emptied_from_the_keyboard(qtbot, window, stored):
    sidebar, ops = window.annotations.sidebar, window.annotations.ops
    ops.create_collection("Alpha")
    alpha = next(c.id for c in stored(a.collection_tree) if c.name == "Alpha")
    ops.add_to_collection(alpha, [key_of(window, number) for number in ("3", "5", "7")])
    sidebar.select(COLLECTION, alpha)
    items = sidebar.items_view
    items.setFocus(Qt.FocusReason.TabFocusReason)
    items.setCurrentIndex(sidebar.items_model.index(0))

    def order() -> list[str]:
        return [item.key.number for item in stored(a.collection_items, alpha)]

    qtbot.keyClick(items, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(items, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert order() == ["5", "7", "3"]  # the moved item stays selected: it moves again
    qtbot.keyClick(items, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # last already: nothing
    assert order() == ["5", "7", "3"]
    qtbot.keyClick(items, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert order() == ["5", "3", "7"]
    assert edit_menu_texts(window)[0] == "Undo Reorder Alpha"
    qtbot.keyClick(items, Qt.Key.Key_Delete)
    assert order() == ["5", "7"]
    window.actions_["undo"].trigger()
    assert order() == ["5", "3", "7"]


def test_collections_and_tags_are_moved_and_nested_from_the_keyboard(qtbot, window, stored, monkeypatch):
    sidebar, ops = window.annotations.sidebar, window.annotations.ops
    for name in ("Alpha", "Beta"):
        ops.create_collection(name)
    ops.create_tag("Firearms")
    ops.create_tag("Marking")
    ids = {c.name: c.id for c in stored(a.collection_tree)}
    tags = {t.name: t.id for t in stored(a.tag_tree)}
    view = sidebar.view
    view.setFocus(Qt.FocusReason.TabFocusReason)
    sidebar.select(COLLECTION, ids["Beta"])
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [c.name for c in stored(a.collection_tree)] == ["Briefing", "Beta", "Alpha"]
    assert sidebar.selected() == (COLLECTION, ids["Beta"])  # it stays selected: it moves again
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [c.name for c in stored(a.collection_tree)] == ["Briefing", "Alpha", "Beta"]
    offered = []

    def choose(parent, title, prompt, options, allow_new=None):
        offered.append([label for label, _ in options])
        return dict(options)[target]

    monkeypatch.setattr(annotation_dialogs, "choose", choose)
    target = "Alpha"
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert offered[-1] == ["Top level", "Briefing", "Alpha"]  # not into itself
    tree = stored(a.collection_tree)
    assert [c.name for c in tree] == ["Briefing", "Alpha"] and [c.name for c in tree[1].children] == ["Beta"]
    target = "Top level"
    sidebar.select(COLLECTION, ids["Beta"])
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [c.name for c in stored(a.collection_tree)] == ["Briefing", "Alpha", "Beta"]
    # a tag is nested the same way
    target = "Firearms"
    sidebar.select(TAG, tags["Marking"])
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [(t.name, [c.name for c in t.children]) for t in stored(a.tag_tree)] == [("Firearms", ["Marking"])]
    window.actions_["undo"].trigger()
    assert len(stored(a.tag_tree)) == 2
    # every command of the pane is in the Help's list of shortcuts
    rows = window.annotations.sidebar.shortcut_rows()
    assert ("Items of a collection", "Move Up", "Ctrl+Up") in rows
    assert ("Collections and tags", "Move To…", "Ctrl+Shift+M") in rows
