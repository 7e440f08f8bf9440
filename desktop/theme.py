"""Colours, icons and the style sheet: the explorer's look, in one place."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QIcon, QPalette

from models.library import RESOURCES_DIR

ICONS_DIR = RESOURCES_DIR / "icons"

# Muted chip colours (background, text), one per topic position, cycling.
TOPIC_COLOURS: tuple[tuple[str, str], ...] = (
    ("#e8eef7", "#274b73"), ("#eaf3ec", "#2a5d3b"), ("#f6efe3", "#6d4b17"), ("#f4e9f1", "#6b2f5b"),
    ("#e6f2f3", "#1f5a60"), ("#eeedf7", "#3e3a73"), ("#f6eaea", "#7a2e2e"), ("#eef3e4", "#4a5a1c"),
    ("#f1ece6", "#5c4630"), ("#e9eef1", "#37505f"), ("#f5f0e0", "#665414"), ("#ebf0f6", "#2c4766"),
    ("#efe9f3", "#503366"), ("#e7f0ec", "#245247"),
)

HIGHLIGHT = "#fbe7a1"  # evidence phrases, on both sides of a link
CURRENT_PARAGRAPH = "#eef4fb"  # the paragraph opened in the reader
REMARK_IN_READER = "#fcf3d2"  # the remark that was followed, inside its paragraph
MUTED = "#6b7280"
ACCENT = "#2f5d8a"


def topic_colours(position: int) -> tuple[QColor, QColor]:
    background, text = TOPIC_COLOURS[position % len(TOPIC_COLOURS)]
    return QColor(background), QColor(text)


def dark_palette() -> QPalette:
    """A dark system palette (as a dark desktop theme gives), for the screenshots and the contrast tests."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a", QPalette.ColorRole.AlternateBase: "#1f2023",
        QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2b2c2f",
        QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#3d5f8c",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2b2c2f",
        QPalette.ColorRole.ToolTipText: "#e8eaed", QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Link: "#8ab4f8", QPalette.ColorRole.Mid: "#3c4043", QPalette.ColorRole.Dark: "#111214",
        QPalette.ColorRole.Light: "#3c4043", QPalette.ColorRole.Midlight: "#303134",
        QPalette.ColorRole.BrightText: "#ffffff",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f8489"))
    return palette


@cache
def icon(name: str) -> QIcon:
    """An SVG icon from resources/icons (sharp at any device pixel ratio)."""
    return QIcon(str(ICONS_DIR / f"{name}.svg"))


STYLE_SHEET = """
QMainWindow, QWidget#centralArea { background: #f7f7f5; }
QTreeView, QTableView, QTextBrowser {
    background: #ffffff; border: 1px solid #dcdcd8; border-radius: 4px;
    selection-background-color: #dbe6f3; selection-color: #111827;
}
QTableView { gridline-color: #eeeeea; }
QHeaderView::section {
    background: #f1f1ee; color: #374151; border: none; border-bottom: 1px solid #dcdcd8;
    border-right: 1px solid #e6e6e2; padding: 4px 6px; font-weight: 600;
}
QLineEdit, QComboBox {
    background: #ffffff; border: 1px solid #cfcfca; border-radius: 4px; padding: 3px 6px; min-height: 20px;
}
QLineEdit:focus, QComboBox:focus { border: 1px solid #2f5d8a; }
QPushButton#topicChip {
    background: #ffffff; border: 1px solid #d6d6d1; border-radius: 10px; padding: 2px 9px; color: #374151;
}
QPushButton#topicChip:checked { background: #2f5d8a; border-color: #2f5d8a; color: #ffffff; }
QPushButton#topicChip:disabled { color: #a3a3a3; border-color: #e5e5e1; }
QPushButton#topicChip:focus { border: 1px solid #2f5d8a; }
QLabel#searchMessage { color: #8a4b0f; }
QLabel#matchCount { color: #4b5563; }
QLabel#paneTitle { color: #374151; font-weight: 600; padding: 2px 2px; }
QLabel#readerBacklinks { color: #374151; padding: 2px 2px; }
QWidget#emptyPage { background: #ffffff; border: 1px solid #dcdcd8; border-radius: 4px; }
QLabel#emptyState { color: #4b5563; font-size: 11pt; padding: 8px; }
QPushButton#emptyStateClear {
    background: #ffffff; color: #2f5d8a; border: 1px solid #2f5d8a; border-radius: 4px; padding: 4px 14px;
}
QStatusBar { color: #4b5563; }
QSplitter::handle { background: #f7f7f5; }
QToolBar { border: none; background: #f7f7f5; spacing: 4px; }
"""
