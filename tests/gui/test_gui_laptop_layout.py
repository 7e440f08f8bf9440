"""The window at a delegate's laptop size (1280x720) and at the default 1440x900: six whole rows of the
table above the details, the first remark of recommendation 18 on screen, no horizontal scrolling,
filter lists that read whole, every active filter in view, the topic chips on one line.

Every test drives the real window on a copy of the shipped report (pytest-qt, offscreen).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QComboBox, QStyle, QStyleOptionComboBox, QWidget

from desktop.itemmodels.columns import column_index
from desktop.theme import colours
from desktop.views.preview_delegate import preview_lines
from tests.gui.driving import click_row, close_window
from tests.gui.test_gui_comfort import LAPTOP, open_window, row_of

DEFAULT = (1440, 900)


@pytest.fixture(params=[LAPTOP, DEFAULT], ids=["1280x720", "1440x900"])
def sized(request, qtbot, db_path):
    win = open_window(qtbot, db_path, request.param)
    yield win
    close_window(win)


def whole_rows(win) -> int:
    """Rows of the table drawn whole, from the top of the list."""
    table = win.table
    table.scrollToTop()
    height = table.viewport().height()
    return sum(
        1
        for row in range(win.table_model.rowCount())
        if table.rowViewportPosition(row) >= 0 and table.rowViewportPosition(row) + table.rowHeight(row) <= height
    )


def first_remark_top(win) -> float:
    """Where the first remark's text begins in the details' viewport (0: its top edge)."""
    detail = win.detail
    first = next(link for link in detail.detail.links if link.shown)
    block = detail.document().begin()
    while block.isValid() and not block.text().startswith(first.text[:40]):
        block = block.next()
    assert block.isValid(), "the first remark's text is in the details"
    return detail.document().documentLayout().blockBoundingRect(block).top() - detail.verticalScrollBar().value()


def open_reader_on_first_remark(qtbot, win) -> None:
    remark = next(link for link in win.detail.detail.links if link.shown)
    win.detail.remarkActivated.emit(remark.paragraph_id, remark.remark_id, remark.start, remark.end)
    qtbot.waitUntil(lambda: win.reader.isVisible() and win.reader.current_paragraph is not None)
    QApplication.processEvents()


def fully_visible(widget: QWidget) -> bool:
    """Shown, and not clipped by any parent: the whole widget is on screen."""
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def test_six_whole_rows_the_first_remark_and_no_horizontal_scrolling_with_the_reader_closed_and_open(qtbot, sized):
    win = sized
    click_row(qtbot, win, "18")
    qtbot.waitUntil(lambda: win.detail.detail is not None and win.detail.detail.number == "18")
    for reader in ("closed", "open"):
        if reader == "open":
            open_reader_on_first_remark(qtbot, win)
        assert win.reader.isVisible() == (reader == "open")
        assert whole_rows(win) >= 6, reader
        top = first_remark_top(win)
        assert 0 <= top < win.detail.viewport().height() - win.detail.fontMetrics().lineSpacing(), reader
        table = win.table
        assert not table.horizontalScrollBar().isVisible(), reader
        assert table.horizontalHeader().length() <= table.viewport().width(), reader
        # the preview drawn for recommendation 18 is its text's beginning over two lines
        text_column = column_index("text", win.table_model.columns)
        index = win.table_model.index(row_of(win, "18"), text_column)
        margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
        rect = table.visualRect(index)
        lines = preview_lines(index.data(), table.font(), rect.width() - 2 * margin, rect.height())
        assert len(lines) == 2 and index.data().startswith(lines[0])


def test_every_filter_list_reads_its_choice_whole_and_its_tooltip_names_a_long_one(qtbot, sized):
    bar = sized.filter_bar
    for combo in sized.findChildren(QComboBox):
        if combo.objectName() not in ("speakerFilter", "originFilter", "mentionFilter", "documentFilter"):
            continue
        assert fully_visible(combo), combo.objectName()
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
        )
        assert combo.fontMetrics().horizontalAdvance(combo.currentText()) <= field.width(), combo.currentText()
    longest = max(range(1, bar.speaker.count()), key=lambda n: len(bar.speaker.itemText(n)))
    bar.speaker.setCurrentIndex(longest)
    assert bar.speaker.itemText(longest) in bar.speaker.toolTip()


def test_every_active_filter_is_in_view_and_a_folded_topic_shows_when_checked(qtbot, sized):
    win, bar = sized, sized.filter_bar
    topics = bar.topics
    assert not topics.is_expanded()
    folded = [key for key in topics.offered() if topics.buttons[key].isHidden()]
    assert folded and topics.expander.isVisible() and topics.expander.text().startswith(f"+{len(folded)} more")
    qtbot.keyClicks(bar.search, "firearms")
    topics.buttons["gender"].click()
    topics.buttons[folded[-1]].click()  # a topic of the folded ones: checked, it takes a place on the line
    bar.speaker.setCurrentIndex(1)
    bar.origin.setCurrentIndex(1)
    bar.mention.setCurrentIndex(1)
    bar.document.setCurrentIndex(1)
    qtbot.waitUntil(lambda: win.filter_settled)
    qtbot.waitUntil(lambda: len(bar.active.chips()) == 7)  # search, 2 topics, speaker, State, mention, document
    QApplication.processEvents()
    for chip in bar.active.chips():
        assert fully_visible(chip), chip.text()
    for key in ("gender", folded[-1]):
        assert fully_visible(topics.buttons[key]), key
    for control in (bar.search, bar.speaker, bar.origin, bar.mention, bar.document, bar.clear_button):
        assert fully_visible(control), control.objectName()
    assert whole_rows(win) >= 5 or win.panel.is_empty_shown()  # the filters never push the table away


def test_a_checked_topic_chip_is_bold_and_wide_enough_for_its_bold_text_and_count(qtbot, sized):
    win, topics = sized, sized.filter_bar.topics
    for key in ("gender", "marking"):
        topics.buttons[key].click()
        qtbot.waitUntil(lambda: win.filter_settled)
    QApplication.processEvents()
    for key in ("gender", "marking"):
        chip = topics.buttons[key]
        assert chip.isChecked() and chip.font().bold()
        frame = 2 * (2 + 8)  # a checked chip's border and padding on both sides (desktop/theme.py)
        assert chip.fontMetrics().horizontalAdvance(chip.text()) + frame <= chip.width(), chip.text()
        assert fully_visible(chip)
    topics.buttons["gender"].click()
    qtbot.waitUntil(lambda: win.filter_settled)
    assert not topics.buttons["gender"].font().bold()


def test_topic_chips_take_one_line_and_the_expander_shows_them_all_from_the_keyboard(qtbot, sized):
    topics = sized.filter_bar.topics
    shown = [button for key, button in topics.buttons.items() if not button.isHidden()]
    assert len({button.y() for button in shown}) == 1  # one line
    assert topics.height() < 2 * shown[0].height()
    topics.expander.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(topics.expander, Qt.Key.Key_Space)
    assert topics.is_expanded() and topics.expander.text().startswith("Fewer")
    QApplication.processEvents()
    assert all(fully_visible(topics.buttons[key]) for key in topics.offered())
    assert len({topics.buttons[key].y() for key in topics.offered()}) > 1  # as many lines as they need
    qtbot.keyClick(topics.expander, Qt.Key.Key_Space)
    QApplication.processEvents()
    assert not topics.is_expanded()
    assert len({button.y() for button in topics.buttons.values() if not button.isHidden()}) == 1


def test_a_row_under_a_drag_is_framed_in_the_accent_colour(qtbot, sized):
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

    from desktop.itemmodels.annotation_tree import COLLECTION

    win = sized
    model, sidebar = win.table_model, win.annotations.sidebar
    data = model.mimeData([model.index(row_of(win, "18"), 0)])
    target = sidebar.model.index_of(COLLECTION, win.annotations.ops.gateway.briefing_id())
    rect = sidebar.view.visualRect(target)
    for kind in (QDragEnterEvent, QDragMoveEvent):
        QApplication.sendEvent(
            sidebar.view.viewport(),
            kind(rect.center(), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier),
        )
    QApplication.processEvents()
    image = sidebar.view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    pixel = image.pixelColor(QPoint(round(1 * ratio), round(rect.center().y() * ratio)))
    assert pixel == QColor(colours().accent)


def test_tab_goes_from_the_search_through_the_lists_and_the_topics_to_the_table(qtbot, sized):
    win, bar = sized, sized.filter_bar
    win.activateWindow()
    bar.search.setFocus(Qt.FocusReason.OtherFocusReason)
    visited = []
    for _ in range(30):
        widget = QApplication.focusWidget()
        visited.append(widget)
        if widget is win.table:
            break
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    lists = [bar.search, bar.speaker, bar.origin, bar.mention, bar.document, bar.clear_button]
    assert visited[: len(lists)] == lists
    rest = visited[len(lists) :]
    assert rest[-1] is win.table and bar.topics.expander in rest
    assert all(bar.topics.isAncestorOf(widget) for widget in rest[:-1])  # the topics, and nothing else, in between


def test_the_readers_title_is_cut_with_an_ellipsis_where_it_is_too_long_and_whole_in_its_tooltip(qtbot, sized):
    click_row(qtbot, sized, "18")
    qtbot.waitUntil(lambda: sized.detail.detail is not None)
    open_reader_on_first_remark(qtbot, sized)
    title = sized.reader.title
    full = sized.reader.report.title
    assert title.toolTip() == full
    assert title.fontMetrics().horizontalAdvance(title.text()) <= title.contentsRect().width()
    if title.fontMetrics().horizontalAdvance(full) > title.contentsRect().width():
        assert title.text().endswith("…") and full.startswith(title.text()[:-1])
    else:
        assert title.text() == full
    sized.resize(sized.width() + 400, sized.height())  # wider: more of the title, or all of it
    QApplication.processEvents()
    assert len(title.text()) >= len(full) or title.text().endswith("…")
