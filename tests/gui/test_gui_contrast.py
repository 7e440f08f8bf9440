"""Legibility in the light and the dark palette: sampled text in every pane has a WCAG AA contrast (4.5:1).

Each pane is rendered (``QWidget.grab``) at 1280x720 with recommendation 18 selected and its first
remark open in the reader. In a rectangle known to hold text (a table cell, a tree row, a line of the
details or the reader, a chip, a label) the background is the most frequent colour and the text colour
is the pixel that differs most from it: fully covered pixels of a glyph carry the text colour exactly.
"""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle, QStyleOptionButton, QTextEdit, QWidget

from desktop.app import application
from desktop.itemmodels.columns import column_index
from desktop.theme import dark_palette
from tests.gui.driving import click_row
from tests.gui.test_gui_comfort import open_window

AA = 4.5


def luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_contrast(widget: QWidget, rect: QRect) -> float:
    """Contrast of the text drawn in ``rect`` (widget coordinates) with its background."""
    assert rect.width() > 4 and rect.height() > 4, f"{widget.objectName()}: no room at {rect}"
    image = widget.grab(rect).toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert not image.isNull(), f"{widget.objectName()} is not drawn"
    pixels = Counter(image.pixel(x, y) for y in range(image.height()) for x in range(image.width()))
    background = QColor(pixels.most_common(1)[0][0])
    assert len(pixels) > 3, f"no text drawn in {widget.objectName()} at {rect}"
    return max(contrast(QColor(value), background) for value in pixels)


def item_rect(view: QAbstractItemView, index) -> QRect:
    view.scrollTo(index)
    QApplication.processEvents()
    rect = view.visualRect(index).adjusted(3, 3, -3, -3).intersected(view.viewport().rect())
    return QRect(view.viewport().mapTo(view, rect.topLeft()), rect.size())


def line_rect(browser: QTextEdit, position: int) -> QRect:
    cursor = browser.textCursor()
    cursor.setPosition(position)
    rect = browser.cursorRect(cursor)
    line = QRect(rect.left(), rect.top(), min(260, browser.viewport().width() - rect.left() - 4), rect.height())
    return QRect(browser.viewport().mapTo(browser, line.topLeft()), line.size())


def samples(win) -> dict[str, tuple[QWidget, QRect]]:
    """Text in each pane: (widget, rectangle)."""
    table, model = win.table, win.table_model
    text_column = column_index("text", model.columns)
    row = next(r for r in range(model.rowCount()) if model.row_data(r).number == "18")
    other = row + 1 if row + 1 < model.rowCount() else row - 1
    detail, reader = win.detail, win.reader.browser
    detail_text = detail.document().find(detail.detail.text[:30]).selectionStart()
    reader_text = reader.textCursor().position()
    tree_index = win.tree.currentIndex()
    sidebar = win.annotations.sidebar.view
    chip = win.filter_bar.topics.buttons["gender"]
    found = {
        "table row": (table, item_rect(table, model.index(other, text_column))),
        "table selected row": (table, item_rect(table, model.index(row, text_column))),
        "contents tree": (win.tree, item_rect(win.tree, tree_index)),
        "annotation sidebar": (sidebar, item_rect(sidebar, sidebar.model().index(0, 0))),
        "details": (detail, line_rect(detail, detail_text)),
        "reader": (reader, line_rect(reader, reader_text)),
        "topic chip": (chip, chip.rect().adjusted(4, 3, -4, -3)),
        "status bar": (win.status_counts, win.status_counts.rect()),
        "search field placeholder": (win.filter_bar.search, win.filter_bar.search.rect().adjusted(30, 4, -30, -4)),
    }
    return found


@pytest.fixture(params=["light", "dark"])
def palette_window(request, qtbot, db_path):
    app = application()
    original = QPalette(app.palette())
    if request.param == "dark":
        app.setPalette(dark_palette())
    win = open_window(qtbot, db_path)
    click_row(qtbot, win, "18")
    remark = next(link for link in win.detail.detail.links if link.shown)
    win.detail.remarkActivated.emit(remark.paragraph_id, remark.remark_id, remark.start, remark.end)
    qtbot.waitUntil(lambda: win.reader.current_paragraph == remark.paragraph_id)
    yield request.param, win
    win.close()
    win.library.close()
    app.setPalette(original)


def test_sampled_text_in_every_pane_has_aa_contrast(palette_window):
    name, win = palette_window
    QApplication.processEvents()
    ratios = {pane: text_contrast(widget, rect) for pane, (widget, rect) in samples(win).items()}
    low = {pane: round(ratio, 2) for pane, ratio in ratios.items() if ratio < AA}
    assert not low, f"text below {AA}:1 in the {name} palette: {low}"


def test_the_dark_palette_really_is_dark_in_every_pane(palette_window):
    name, win = palette_window
    if name != "dark":
        pytest.skip("the light palette's backgrounds are light by design")
    for widget in (win.table.viewport(), win.tree.viewport(), win.detail.viewport(), win.reader.browser.viewport()):
        image = widget.grab().toImage()
        background = QColor(
            Counter(image.pixel(x, y) for y in range(0, image.height(), 7) for x in range(0, image.width(), 7)).most_common(1)[0][
                0
            ]
        )
        assert background.lightness() < 80, widget.objectName()


def test_a_palette_change_while_open_restyles_the_panes(qtbot, palette_window):
    name, win = palette_window
    app = QApplication.instance()
    before = QColor(win.detail.viewport().grab().toImage().pixel(QPoint(5, 5)))
    app.setPalette(dark_palette() if name == "light" else QPalette(QColor("#efefef")))
    qtbot.waitUntil(lambda: QColor(win.detail.viewport().grab().toImage().pixel(QPoint(5, 5))) != before)
    after = QColor(win.detail.viewport().grab().toImage().pixel(QPoint(5, 5)))
    assert (after.lightness() < 80) == (name == "light")


def test_check_boxes_are_framed_at_3_to_1_against_their_background_checked_or_not(qtbot, palette_window):
    """WCAG's 3:1 for the parts of a control: an unchecked box must be seen, in a dark palette too."""
    name, win = palette_window
    box = win.annotations.sidebar.only_selected
    for checked in (False, True):
        box.setChecked(checked)
        QApplication.processEvents()
        option = QStyleOptionButton()
        box.initStyleOption(option)
        indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        image = box.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        background = QColor(image.pixel(box.width() - 2, 1))  # beside the label
        row = {image.pixel(x, indicator.center().y()) for x in range(indicator.left(), indicator.center().x())}
        best = max(contrast(QColor(pixel), background) for pixel in row)
        assert best >= 3.0, f"{name}, checked={checked}: the box's frame keeps {best:.1f}:1"
    box.setChecked(False)
