"""Driving the main window as a user would, and reading what it shows (helpers of the GUI tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QTableView, QTextBrowser
from sqlalchemy import select

from desktop.itemmodels.columns import column_index
from models import annotations as a
from models.db import schema
from models.db.library import open_library


def close_window(window) -> None:
    window.close()
    window.library.close()


def shown_numbers(win) -> list[str]:
    model = win.table_model
    return [model.row_data(row).number for row in range(model.rowCount())]


def shown_ids(win) -> set[int]:
    return set(win.table_model.ids())


def top_level(session, ids) -> set[int]:
    parents = dict(session.execute(select(schema.Recommendation.id, schema.Recommendation.parent_id)).all())
    return {parents.get(i) or i for i in ids}


def rec_id(session, number: str) -> int:
    return session.scalar(select(schema.Recommendation.id).where(schema.Recommendation.number == number))


def paragraph_id(session, number: int) -> int:
    return session.scalar(select(schema.Paragraph.id).where(schema.Paragraph.number == number))


def click_row(qtbot, win, number: str) -> None:
    table = win.findChild(QTableView, "recommendationTable")
    row = next(r for r in range(win.table_model.rowCount()) if win.table_model.row_data(r).number == number)
    index = win.table_model.index(row, 2)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())


def click_anchor(qtbot, browser: QTextBrowser, href: str) -> None:
    """Click the first link whose href starts with ``href``, where it is drawn."""
    document = browser.document()
    block = document.begin()
    while block.isValid():
        for item in block:
            fragment = item.fragment()
            if fragment.isValid() and fragment.charFormat().anchorHref().startswith(href):
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                point = browser.cursorRect(cursor).center()
                qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
                return
        block = block.next()
    raise AssertionError(f"no link {href!r} in {browser.objectName()}")


def search_field(win) -> QLineEdit:
    return win.findChild(QLineEdit, "searchField")


def row_of(win, number: str) -> int:
    model = win.table_model
    return next(r for r in range(model.rowCount()) if model.row_data(r).number == number)


def key_of(win, number: str) -> a.RecommendationKey:
    return win.table_model.row_data(row_of(win, number)).key


def marks(win, number: str) -> str:
    return win.table_model.index(row_of(win, number), column_index("annotations")).data()


@contextmanager
def colleague_on(location, author: str = "ben") -> Iterator[Callable[..., object]]:
    """A colleague's own connection to the same library: ``act(domain_function, *args)`` runs one
    change as ``author`` in its own transaction."""
    library = open_library(location)
    library.author = author

    def act(action, *args, **kwargs):
        with library.begin() as session:
            return action(session, *args, **kwargs)

    try:
        yield act
    finally:
        library.close()
