"""The explorer at a delegate's laptop size (1280x720): readable rows, remarks first, visible filters, keyboard, help.

Every test drives the real window on a copy of the shipped report (pytest-qt, offscreen).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QKeySequence, QTextCursor, QTextLayout
from PySide6.QtWidgets import QApplication, QDialog, QTableWidget

from desktop.app import application
from desktop.itemmodels.columns import column_index
from desktop.mainwindow import READER_MIN_WIDTH, MainWindow
from desktop.views.recommendation_table import PREVIEW_LINES
from models import annotations as a
from models.db.library import open_library
from tests.gui.driving import click_row, search_field, shown_ids

LAPTOP = (1280, 720)


def open_window(qtbot, path, size=LAPTOP) -> MainWindow:
    application()
    win = MainWindow(open_library(path))
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.reader.report is not None)
    return win


@pytest.fixture
def laptop(qtbot, db_path):
    win = open_window(qtbot, db_path)
    yield win
    win.close()
    win.library.close()


def row_of(win, number: str) -> int:
    model = win.table_model
    return next(r for r in range(model.rowCount()) if model.row_data(r).number == number)


def displayed_characters(win, number: str) -> int:
    """Characters of a row's text that its cell shows: the lines that fit the cell's width and height."""
    table, column = win.table, column_index("text", win.table_model.columns)
    index = win.table_model.index(row_of(win, number), column)
    rect = table.visualRect(index)
    text = index.data()
    layout = QTextLayout(text, table.font())
    layout.beginLayout()
    shown, height, margin = 0, 0.0, 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(rect.width() - margin)
        height += line.height()
        if height > rect.height():
            break
        shown += line.textLength()
    layout.endLayout()
    return shown


# ---------------------------------------------------------------------------- table and details


def test_row_18_shows_a_preview_of_at_least_80_characters_and_the_text_column_has_the_space(qtbot, laptop):
    click_row(qtbot, laptop, "18")
    assert displayed_characters(laptop, "18") >= 80
    header, columns = laptop.table.horizontalHeader(), laptop.table_model.columns
    text_width = header.sectionSize(column_index("text", columns))
    others = [
        header.sectionSize(n) for n in range(len(columns)) if n != column_index("text", columns) and not header.isSectionHidden(n)
    ]
    assert text_width > max(others)
    assert laptop.table.rowHeight(0) >= PREVIEW_LINES * laptop.table.fontMetrics().lineSpacing()


def test_header_menu_hides_a_column_and_the_choice_and_widths_are_remembered(qtbot, db_path):
    win = open_window(qtbot, db_path)
    speakers = column_index("speakers", win.table_model.columns)
    menu = win.table.show_header_menu(None)
    action = next(act for act in menu.actions() if act.text() == "Speakers")
    action.setChecked(False)
    assert win.table.horizontalHeader().isSectionHidden(speakers)
    text = column_index("text", win.table_model.columns)
    win.table.horizontalHeader().resizeSection(text, 333)
    win.close()
    win.library.close()
    again = open_window(qtbot, db_path)
    assert again.table.horizontalHeader().isSectionHidden(speakers)
    assert again.table.horizontalHeader().sectionSize(text) == 333
    again.close()
    again.library.close()


def test_the_first_remark_of_recommendation_18_is_visible_without_scrolling(qtbot, laptop):
    click_row(qtbot, laptop, "18")
    detail = laptop.detail
    qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.number == "18")
    first = next(link for link in detail.detail.links if link.shown)
    block = detail.document().begin()
    while block.isValid() and not block.text().startswith(first.text[:40]):
        block = block.next()
    assert block.isValid(), "the first remark's text is in the details"
    top = detail.document().documentLayout().blockBoundingRect(block).top() - detail.verticalScrollBar().value()
    assert 0 <= top < detail.viewport().height() - detail.fontMetrics().lineSpacing()


def test_marks_belong_to_the_recommendation_on_screen_and_hide_on_a_speaker_page(qtbot, laptop):
    click_row(qtbot, laptop, "18")
    panel = laptop.annotations.panel
    assert panel.isVisible() and panel.key.number == "18"
    speaker = next(link for link in laptop.detail.detail.links if link.shown).speaker.label
    laptop.detail.speakerActivated.emit(speaker)
    assert laptop.detail.detail is None and not panel.isVisible() and panel.key is None
    assert not laptop.actions_["highlight"].isEnabled()
    laptop.go_back()
    assert panel.isVisible() and panel.key.number == "18"


def test_tab_leaves_the_note_and_esc_in_the_note_keeps_the_filters(qtbot, laptop):
    laptop.activateWindow()
    qtbot.mouseClick(laptop.filter_bar.topics.buttons["gender"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(search_field(laptop), "firearms")
    qtbot.waitUntil(lambda: laptop.filter_settled and 0 < len(shown_ids(laptop)) < 47)
    narrowed = shown_ids(laptop)
    laptop.table.selectRow(0)
    note = laptop.annotations.panel.note
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    qtbot.keyClicks(note, "check")
    qtbot.keyClick(note, Qt.Key.Key_Escape)
    assert shown_ids(laptop) == narrowed and laptop.filter_bar.topics.checked() == {"gender"}
    assert search_field(laptop).text() == "firearms"
    qtbot.keyClick(note, Qt.Key.Key_Tab)
    assert "\t" not in note.toPlainText() and not note.hasFocus()
    speaker = laptop.filter_bar.speaker
    speaker.setCurrentIndex(1)
    speaker.setFocus()
    qtbot.waitUntil(speaker.hasFocus)
    qtbot.keyClick(speaker, Qt.Key.Key_Escape)  # Esc on the speaker list: back to any speaker, topics stay
    assert speaker.currentIndex() == 0 and laptop.filter_bar.topics.checked() == {"gender"}


# ---------------------------------------------------------------------------- one visible filter state


def test_every_restriction_is_a_chip_removable_one_by_one_and_clear_removes_all(qtbot, laptop):
    sidebar = laptop.annotations.sidebar
    qtbot.keyClicks(search_field(laptop), "firearms")
    # the search chip follows the typing once it pauses (a keystroke changes no chip)
    qtbot.waitUntil(lambda: [c.text() for c in laptop.filter_bar.active.chips()] == ["Search: firearms  ✕"])
    qtbot.mouseClick(laptop.filter_bar.topics.buttons["gender"], Qt.MouseButton.LeftButton)
    sidebar.filter_combo.setCurrentIndex(sidebar.filter_combo.findText("Priorities"))
    qtbot.waitUntil(lambda: laptop.filter_settled)
    chips = laptop.filter_bar.active.chips()
    assert [chip.property("filterField") for chip in chips] == ["text", "topics", "priority"]
    assert "Gender" in chips[1].text()  # the topic by its label
    # nothing is a priority yet: the empty state names every restriction and its button clears them
    qtbot.waitUntil(laptop.panel.is_empty_shown)
    message = laptop.panel.empty.text()
    assert "firearms" in message and "Gender" in message and "priorities" in message
    chips[2].click()  # the sidebar's scope goes, the rest stays
    qtbot.waitUntil(lambda: laptop.filter_settled and not laptop.panel.is_empty_shown())
    assert sidebar.filter_combo.currentIndex() == 0
    assert [chip.property("filterField") for chip in laptop.filter_bar.active.chips()] == ["text", "topics"]
    sidebar.filter_combo.setCurrentIndex(sidebar.filter_combo.findText("Priorities"))
    qtbot.waitUntil(laptop.panel.is_empty_shown)
    qtbot.mouseClick(laptop.panel.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown_ids(laptop)) == 47)
    assert not laptop.filter_bar.active.chips() and sidebar.filter_combo.currentIndex() == 0
    assert search_field(laptop).text() == ""


def test_chips_removed_from_the_keyboard_keep_the_focus_among_them_then_give_it_to_the_table(qtbot, laptop):
    bar = laptop.filter_bar
    qtbot.keyClicks(search_field(laptop), "firearms")
    bar.topics.buttons["marking"].click()
    qtbot.waitUntil(lambda: laptop.filter_settled and len(bar.active.chips()) == 2)
    first = bar.active.chips()[0]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(first, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(bar.active.chips()) == 1)
    remaining = bar.active.chips()[0]
    assert remaining.property("filterField") == "topics" and remaining.hasFocus()
    qtbot.keyClick(remaining, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not bar.active.chips() and len(shown_ids(laptop)) == 47)
    assert laptop.table.hasFocus()


def test_only_selected_collection_shows_as_a_chip_named_by_the_collection(qtbot, laptop):
    from desktop.itemmodels.annotation_tree import COLLECTION

    ops = laptop.annotations.ops
    briefing = ops.gateway.briefing_id()
    click_row(qtbot, laptop, "18")
    laptop.actions_["add_to_briefing"].trigger()
    sidebar = laptop.annotations.sidebar
    sidebar.select(COLLECTION, briefing)
    sidebar.only_selected.setChecked(True)
    qtbot.waitUntil(lambda: laptop.filter_settled and len(shown_ids(laptop)) == 1)
    chip = laptop.filter_bar.active.chips()[0]
    assert chip.property("filterField") == "collection_id" and "Briefing" in chip.text()
    chip.click()
    qtbot.waitUntil(lambda: len(shown_ids(laptop)) == 47)
    assert not sidebar.only_selected.isChecked()


# ---------------------------------------------------------------------------- keyboard and menus


def test_f6_cycles_the_panes_forward_and_back(qtbot, laptop):
    laptop.activateWindow()
    laptop.table.setFocus()
    qtbot.waitUntil(laptop.table.hasFocus)
    panes = laptop.focus_panes()
    after_table = panes[(panes.index(laptop.table) + 1) % len(panes)]
    qtbot.keyClick(laptop.table, Qt.Key.Key_F6)
    assert after_table.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert laptop.table.hasFocus()


def test_every_menu_item_has_its_own_access_key_within_its_menu(laptop):
    """Alt+A then one letter reaches each Annotate command: no two items of a menu share a letter, and
    an item without a letter has a shortcut."""
    import re

    def check(menu) -> None:
        keys = {}
        for action in menu.actions():
            if action.isSeparator():
                continue
            found = re.search(r"&([^&])", action.text())
            if not found:  # Undo and Redo, named by the step they take: their standard shortcuts
                assert not action.shortcut().isEmpty(), f"{action.text()!r} in {menu.title()!r} has no key at all"
                continue
            key = found.group(1).casefold()
            assert key not in keys, f"{action.text()!r} and {keys[key]!r} share the access key {key!r} in {menu.title()!r}"
            keys[key] = action.text()
            if action.menu() is not None:
                check(action.menu())

    for action in laptop.menuBar().actions():
        check(action.menu())


def test_menus_hold_position_priority_highlight_copy_and_help_with_standard_shortcuts(qtbot, laptop, db_path):
    titles = [act.text().replace("&", "") for act in laptop.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Go", "Annotate", "Help"]
    a_ = laptop.actions_
    assert a_["redo"].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    assert a_["copy"].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Copy)
    assert a_["toggle_priority"].isCheckable() and not a_["highlight"].shortcut().isEmpty()
    click_row(qtbot, laptop, "18")
    a_["position_oppose"].trigger()
    a_["toggle_priority"].trigger()
    library = open_library(db_path)
    with library.begin() as session:
        marks = a.recommendation_annotations(session, laptop.annotations.panel.key)
    library.close()
    assert marks.position == "oppose" and marks.priority
    assert a_["position_oppose"].isChecked() and a_["toggle_priority"].isChecked()
    a_["position_oppose"].trigger()  # again: no position
    assert not a_["position_oppose"].isChecked()


def test_help_menu_explains_links_lists_every_shortcut_and_names_the_library(qtbot, laptop):
    laptop.actions_["help_links"].trigger()
    dialog = laptop.findChild(QDialog, "helpLinksDialog")
    text = dialog.findChild(object, "helpLinksText").toPlainText()
    assert "How links are made" in text and "0.15" in text
    dialog.close()
    laptop.actions_["help_shortcuts"].trigger()
    table = laptop.findChild(QDialog, "shortcutsDialog").findChild(QTableWidget, "shortcutTable")
    commands = {table.item(row, 1).text() for row in range(table.rowCount())}
    with_keys = {act.text().replace("&", "") for _, act in laptop.actions_ if not act.shortcut().isEmpty()}
    assert with_keys <= commands | {"Export Selection…"}
    laptop.actions_["about"].trigger()
    about = laptop.findChild(QDialog, "aboutDialog").findChild(object, "aboutText").text()
    assert str(laptop.library.path) in about and "Working Group on Firearms" in about


def test_the_reader_opens_when_a_paragraph_is_asked_for_and_panes_toggle_from_the_view_menu(qtbot, laptop):
    reader = laptop.reader
    assert not reader.isVisible()  # at first the table and the details have the width
    click_row(qtbot, laptop, "18")
    remark = next(link for link in laptop.detail.detail.links if link.shown)
    laptop.detail.remarkActivated.emit(remark.paragraph_id, remark.remark_id, remark.start, remark.end)
    assert reader.isVisible() and reader.width() >= READER_MIN_WIDTH
    assert laptop.actions_["toggle_reader"].isChecked()
    laptop.actions_["toggle_reader"].trigger()
    assert not reader.isVisible()
    for name, pane in (("toggle_sidebar", laptop.left_splitter), ("toggle_details", laptop.detail)):
        laptop.actions_[name].trigger()
        assert not pane.isVisible()
        laptop.actions_[name].trigger()
        assert pane.isVisible()


@pytest.fixture(autouse=True)
def _settings_are_isolated(isolated_settings):
    assert QSettings().fileName().startswith(str(isolated_settings))


# ---------------------------------------------------------------------------- export


def test_ctrl_e_with_a_filter_and_no_selection_exports_the_filtered_rows(qtbot, laptop, tmp_path):
    import docx

    qtbot.keyClicks(search_field(laptop), "darknet")
    qtbot.waitUntil(lambda: laptop.filter_settled and 0 < len(shown_ids(laptop)) < 47)
    expected = [laptop.table_model.row_data(r).number for r in range(laptop.table_model.rowCount())]
    laptop.table.selectionModel().clearSelection()
    laptop.actions_["export"].trigger()
    dialog = laptop.export_flow.dialog
    assert dialog.scope.currentData() == "filter" and dialog.export_button.isEnabled()
    assert str(dialog.destination.text()).endswith(".docx") and dialog.folder.text().startswith("In ")
    dialog.destination.setText(str(tmp_path / "filtered.docx"))
    dialog.accept()
    qtbot.waitUntil(lambda: (tmp_path / "filtered.docx").exists() and not laptop.worker.busy(), timeout=10000)
    document = docx.Document(str(tmp_path / "filtered.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"Recommendation {n}" for n in expected]


# ---------------------------------------------------------------------------- scores explained


def test_score_automatic_handle_and_weaker_links_have_tooltips_with_the_engine_thresholds(qtbot, laptop):
    from models.engines.linking import SHOW_THRESHOLD

    click_row(qtbot, laptop, "18")
    detail = laptop.detail
    laptop.actions_["show_weaker"].setChecked(True)

    def tip_of(needle: str) -> str:
        found = detail.document().find(needle)
        assert not found.isNull(), needle
        inside = QTextCursor(detail.document())
        inside.setPosition(found.selectionStart())  # before the fragment's first character: 3 px right is on it
        detail.setTextCursor(inside)
        detail.ensureCursorVisible()
        return detail.tooltip_at(detail.cursorRect(inside).center() + QPoint(3, 0))

    assert f"{SHOW_THRESHOLD:.2f}" in tip_of("score ") and "vocabulary" in tip_of("score ")
    assert "linking engine" in tip_of("automatic")
    assert "Drag" in tip_of("⠿")
    if any(not link.shown for link in detail.detail.links):
        assert "not shown by default" in tip_of("weaker link")


# ---------------------------------------------------------------------------- search input


def test_a_half_typed_query_never_shows_a_database_message_and_the_empty_state_follows(qtbot, laptop):
    field = search_field(laptop)
    qtbot.keyClicks(field, "xyzzy")
    qtbot.waitUntil(lambda: laptop.filter_settled and laptop.panel.is_empty_shown())
    field.clear()
    qtbot.keyClicks(field, "xyzzy OR")  # FTS5 cannot read a dangling OR
    qtbot.waitUntil(lambda: laptop.filter_settled and laptop.filter_bar.message.isVisible())
    for text in (laptop.filter_bar.message.text(), laptop.panel.empty.text()):
        assert "fts5" not in text and "syntax error" not in text and "“xyzzy OR”" in text
    qtbot.keyClicks(field, " gender")  # readable again: the message goes
    qtbot.waitUntil(lambda: laptop.filter_settled and not laptop.filter_bar.message.isVisible())


# ---------------------------------------------------------------------------- drag and drop


def test_a_drop_has_a_compact_image_a_framed_target_and_a_notice_with_undo(qtbot, laptop, db_path):
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

    from desktop.itemmodels.annotation_tree import COLLECTION
    from desktop.views.drop_feedback import drag_pixmap

    image = drag_pixmap("2 recommendations", laptop.table)
    assert image.deviceIndependentSize().width() < 220  # not a picture of the rows (690 px)
    model, sidebar = laptop.table_model, laptop.annotations.sidebar
    rows = [row_of(laptop, "18"), row_of(laptop, "19")]
    data = model.mimeData([model.index(row, 0) for row in rows])
    briefing_id = laptop.annotations.ops.gateway.briefing_id()
    target = sidebar.model.index_of(COLLECTION, briefing_id)
    point = sidebar.view.visualRect(target).center()
    for kind in (QDragEnterEvent, QDragMoveEvent):  # the drag comes in, then moves over the Briefing
        QApplication.sendEvent(
            sidebar.view.viewport(),
            kind(point, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier),
        )
    assert sidebar.drop_target.target.isValid() and sidebar.drop_target.target.row() == target.row()
    assert sidebar.model.dropMimeData(data, Qt.DropAction.CopyAction, -1, -1, target)
    notice = laptop.annotations.notice
    assert notice.isVisible() and notice.label.text() == "Added 2 recommendations to Briefing"
    qtbot.mouseClick(notice.undo_button, Qt.MouseButton.LeftButton)
    library = open_library(db_path)
    with library.begin() as session:
        assert a.collection_items(session, briefing_id) == ()
    library.close()
    assert not notice.isVisible()


def test_filter_states_are_steps_of_back_and_forward(qtbot, laptop):
    """A filter becomes a step once it has held still for `FILTER_SETTLE_MS`: on a loaded machine that
    moment comes late, so the waits here allow for it."""
    window = laptop
    settle = 15000
    qtbot.mouseClick(window.filter_bar.topics.buttons["gender"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.history.current is not None and window.history.current.kind == "filter", timeout=settle)
    gender = shown_ids(window)
    qtbot.keyClicks(search_field(window), "xyzzy")
    qtbot.waitUntil(lambda: window.history.current.key[0].text == "xyzzy", timeout=settle)
    narrowed = shown_ids(window)
    assert narrowed == set() and gender
    window.actions_["back"].trigger()
    qtbot.waitUntil(lambda: window.filter_settled and shown_ids(window) == gender, timeout=settle)
    assert search_field(window).text() == "" and window.filter_bar.topics.checked() == {"gender"}
    window.actions_["back"].trigger()
    qtbot.waitUntil(lambda: window.filter_settled and len(shown_ids(window)) == 47, timeout=settle)
    window.actions_["forward"].trigger()
    window.actions_["forward"].trigger()
    qtbot.waitUntil(lambda: window.filter_settled and shown_ids(window) == narrowed, timeout=settle)
    assert [chip.property("filterField") for chip in window.filter_bar.active.chips()] == ["text", "topics"]


def test_details_and_reader_are_one_tab_stop_with_arrow_keys_walking_their_links(qtbot, laptop):
    laptop.activateWindow()
    click_row(qtbot, laptop, "18")
    remark = next(link for link in laptop.detail.detail.links if link.shown)
    laptop.detail.remarkActivated.emit(remark.paragraph_id, remark.remark_id, remark.start, remark.end)
    for pane in (laptop.detail, laptop.reader.browser):
        pane.setFocus()
        qtbot.waitUntil(pane.hasFocus)
        qtbot.keyClick(pane, Qt.Key.Key_Down)
        first = pane.textCursor()
        assert first.hasSelection() and first.charFormat().isAnchor(), pane.objectName()
        qtbot.keyClick(pane, Qt.Key.Key_Down)
        assert pane.textCursor().selectionStart() > first.selectionStart()
        qtbot.keyClick(pane, Qt.Key.Key_Tab)
        assert not pane.hasFocus(), f"Tab leaves {pane.objectName()}"
