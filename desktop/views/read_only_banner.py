"""ReadOnlyBanner: the strip above the window's panes saying that the library cannot be changed, and why."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from desktop.views.html import escape


class ReadOnlyBanner(QLabel):
    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBanner")
        self.setAccessibleName("This library is read-only")
        self.setWordWrap(True)
        self.setText(
            f"<b>Read-only library</b> — {escape(reason)}. You can browse, search and export; "
            "notes, positions, collections, tags and imports are off. To change it, copy the file "
            "to a folder you can write to and open the copy (<code>--db</code>)."
        )
        self.setStyleSheet(
            "QLabel#readOnlyBanner { background: #fef3c7; color: #78350f; "
            "border: 1px solid #f59e0b; border-radius: 4px; padding: 6px 10px; }"
        )
