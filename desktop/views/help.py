"""The Help menu's windows: how links are made, the keyboard shortcuts, About.

Each is a small non-modal dialog built from data handed in (README text, the
action registry's rows, the library's documents): nothing here is written twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import metadata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.views.html import escape


def _dialog(parent: QWidget, name: str, title: str, body: QWidget, size: tuple[int, int]) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName(name)
    dialog.setAccessibleName(title)
    dialog.setWindowTitle(title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    layout = QVBoxLayout(dialog)
    layout.addWidget(body, 1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(*size)
    return dialog


def links_dialog(parent: QWidget, markdown: str) -> QDialog:
    """ "How links are made": the README's section, as Markdown."""
    browser = QTextBrowser()
    browser.setObjectName("helpLinksText")
    browser.setAccessibleName("How links are made, and how to read a score")
    browser.setOpenExternalLinks(False)
    browser.setMarkdown(markdown or "The explanation of links (README.md) is not installed with this copy.")
    return _dialog(parent, "helpLinksDialog", "How Links Are Made", browser, (720, 560))


def shortcuts_dialog(parent: QWidget, rows: Sequence[tuple[str, str, str]]) -> QDialog:
    """Every menu command with a shortcut, from the action registry (menu, command, keys)."""
    table = QTableWidget(len(rows), 3)
    table.setObjectName("shortcutTable")
    table.setAccessibleName("Keyboard shortcuts")
    table.setHorizontalHeaderLabels(["Menu", "Command", "Shortcut"])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem(text))
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.resizeColumnToContents(0)
    table.resizeColumnToContents(2)
    return _dialog(parent, "shortcutsDialog", "Keyboard Shortcuts", table, (560, 620))


def about_dialog(parent: QWidget, library_path: str, reports: Sequence[str]) -> QDialog:
    """Version, the library file and the reports in it."""
    try:
        version = metadata.version("xref-explorer")
    except metadata.PackageNotFoundError:
        version = "development copy"
    items = "".join(f"<li>{escape(title)}</li>" for title in reports) or "<li>none yet</li>"
    label = QLabel(
        f"<h3>Xref Explorer {escape(version)}</h3>"
        "<p>Who said what behind each recommendation of a working group's report. Works offline.</p>"
        f"<p><b>Library:</b> {escape(library_path)}</p>"
        f"<p><b>Reports in it ({len(reports)}):</b></p><ul>{items}</ul>"
    )
    label.setObjectName("aboutText")
    label.setAccessibleName("About Xref Explorer")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop)
    return _dialog(parent, "aboutDialog", "About Xref Explorer", label, (520, 360))
