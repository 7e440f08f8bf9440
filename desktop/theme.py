"""Colours, icons and the style sheet: the explorer's look, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

from models.paths import ICONS_DIR

# Muted chip colours (background, text), one per topic position, cycling (light palette; the dark one
# derives its counterparts in `Colours`).
TOPIC_COLOURS: tuple[tuple[str, str], ...] = (
    ("#e8eef7", "#274b73"),
    ("#eaf3ec", "#2a5d3b"),
    ("#f6efe3", "#6d4b17"),
    ("#f4e9f1", "#6b2f5b"),
    ("#e6f2f3", "#1f5a60"),
    ("#eeedf7", "#3e3a73"),
    ("#f6eaea", "#7a2e2e"),
    ("#eef3e4", "#4a5a1c"),
    ("#f1ece6", "#5c4630"),
    ("#e9eef1", "#37505f"),
    ("#f5f0e0", "#665414"),
    ("#ebf0f6", "#2c4766"),
    ("#efe9f3", "#503366"),
    ("#e7f0ec", "#245247"),
)

# Light-palette constants, kept for code that has no palette at hand; views use `colours()`.
HIGHLIGHT = "#e4ddf7"  # evidence phrases, on both sides of a link (lavender: never one of the user's colours)
CURRENT_PARAGRAPH = "#eef4fb"  # the paragraph opened in the reader
REMARK_IN_READER = "#fcf3d2"  # the remark that was followed, inside its paragraph
MUTED = "#5f6672"
ACCENT = "#2f5d8a"

# The delegate's highlight colours (name, light, dark): distinct from the evidence tint in both palettes.
USER_HIGHLIGHTS = (
    ("yellow", "#fde68a", "#6e5a12"),
    ("green", "#bbf7d0", "#1d5a3a"),
    ("blue", "#bfdbfe", "#1f4a7a"),
    ("pink", "#fbcfe8", "#74284f"),
)


def _mix(a: QColor, b: QColor, share_of_a: float) -> QColor:
    return QColor(
        round(a.red() * share_of_a + b.red() * (1 - share_of_a)),
        round(a.green() * share_of_a + b.green() * (1 - share_of_a)),
        round(a.blue() * share_of_a + b.blue() * (1 - share_of_a)),
    )


@dataclass(frozen=True)
class Colours:
    """Every colour the explorer paints, for one palette: each set with its counterpart (text on background)."""

    dark: bool
    window: str
    base: str
    alternate: str
    text: str
    strong: str  # headings
    muted: str
    border: str
    accent: str  # links, focus frames, checked chips
    on_accent: str
    selection: str
    on_selection: str
    evidence: str
    current_paragraph: str
    remark_in_reader: str
    error: str
    inserted: str
    deleted: str
    user: dict = field(default_factory=dict)  # highlight colour name -> background
    topics: tuple = ()  # (background, text) per topic position

    def topic(self, position: int) -> tuple[QColor, QColor]:
        background, text = self.topics[position % len(self.topics)]
        return QColor(background), QColor(text)


def colours_for(palette: QPalette) -> Colours:
    """The explorer's colours for ``palette``: light ones as designed, dark ones as their counterparts."""
    base = palette.color(QPalette.ColorRole.Base)
    dark = base.lightness() < 128
    if not dark:
        return Colours(
            dark=False,
            window="#f7f7f5",
            base="#ffffff",
            alternate="#f6f7f9",
            text="#1f2937",
            strong="#111827",
            muted=MUTED,
            border="#d4d4cf",
            accent=ACCENT,
            on_accent="#ffffff",
            selection="#dbe6f3",
            on_selection="#111827",
            evidence=HIGHLIGHT,
            current_paragraph=CURRENT_PARAGRAPH,
            remark_in_reader=REMARK_IN_READER,
            error="#b91c1c",
            inserted="#166534",
            deleted="#b91c1c",
            user={name: light for name, light, _ in USER_HIGHLIGHTS},
            topics=TOPIC_COLOURS,
        )
    text = palette.color(QPalette.ColorRole.Text)
    window = palette.color(QPalette.ColorRole.Window)
    topics = tuple((_mix(QColor(fg), base, 0.42).name(), _mix(QColor(bg), text, 0.6).name()) for bg, fg in TOPIC_COLOURS)
    return Colours(
        dark=True,
        window=window.name(),
        base=base.name(),
        alternate=_mix(text, base, 0.05).name(),
        text=text.name(),
        strong=_mix(text, QColor("#ffffff"), 0.7).name(),
        muted=_mix(text, base, 0.72).name(),
        border=_mix(text, base, 0.22).name(),
        accent="#8ab4f8",
        on_accent="#10151d",
        selection="#2d4a6e",
        on_selection="#ffffff",
        evidence="#453a6e",
        current_paragraph="#1f2a38",
        remark_in_reader="#4a3f1c",
        error="#f28b82",
        inserted="#81c995",
        deleted="#f28b82",
        user={name: dark_value for name, _, dark_value in USER_HIGHLIGHTS},
        topics=topics,
    )


_current: Colours | None = None


def colours() -> Colours:
    """The colours of the application's current palette (set again by `use_palette` when it changes)."""
    global _current
    if _current is None:
        app = QGuiApplication.instance()
        _current = colours_for(app.palette() if app is not None else QPalette())
    return _current


def use_palette(palette: QPalette) -> Colours:
    """The system palette changed (or a test set one): the colours follow."""
    global _current
    _current = colours_for(palette)
    return _current


def topic_colours(position: int) -> tuple[QColor, QColor]:
    return colours().topic(position)


def dark_palette() -> QPalette:
    """A dark system palette (as a dark desktop theme gives), for the screenshots and the contrast tests."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#1f2023",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2b2c2f",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#3d5f8c",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2b2c2f",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.Mid: "#3c4043",
        QPalette.ColorRole.Dark: "#111214",
        QPalette.ColorRole.Light: "#3c4043",
        QPalette.ColorRole.Midlight: "#303134",
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


def style_sheet(c: Colours) -> str:
    """The window's style sheet for colours ``c``: every background set with its text colour.

    Check boxes are framed in the muted text colour, which keeps 3:1 against the window in either
    palette (the style's own frame is the window's colour darkened, lost in a dark palette).
    """
    tick = (ICONS_DIR / f"check-on-{'dark' if c.dark else 'light'}-accent.svg").as_posix()
    return f"""
QMainWindow, QWidget#centralArea {{ background: {c.window}; }}
QTreeView, QTableView, QTextBrowser, QListView, QPlainTextEdit {{
    background: {c.base}; color: {c.text}; alternate-background-color: {c.alternate};
    border: 1px solid {c.border}; border-radius: 4px;
    selection-background-color: {c.selection}; selection-color: {c.on_selection};
}}
QTreeView:focus, QTableView:focus, QTextBrowser:focus, QListView:focus, QPlainTextEdit:focus {{
    border: 2px solid {c.accent};
}}
QTableView {{ gridline-color: {c.border}; }}
QHeaderView::section {{
    background: {c.window}; color: {c.text}; border: none; border-bottom: 1px solid {c.border};
    border-right: 1px solid {c.border}; padding: 4px 6px; font-weight: 600;
}}
QLineEdit, QComboBox {{
    background: {c.base}; color: {c.text}; border: 1px solid {c.border}; border-radius: 4px; padding: 3px 6px;
    min-height: 20px;
}}
QComboBox QAbstractItemView {{ background: {c.base}; color: {c.text}; selection-background-color: {c.selection};
    selection-color: {c.on_selection}; }}
QLineEdit:focus, QComboBox:focus {{ border: 2px solid {c.accent}; }}
QPushButton#topicChip {{
    border: 1px solid {c.border}; border-radius: 10px; padding: 2px 9px;
}}
QPushButton#topicChip:checked, QPushButton#topicChip:focus {{ border: 2px solid {c.accent}; padding: 1px 8px; }}
QPushButton#topicChip:disabled {{ color: {c.muted}; }}
QCheckBox::indicator {{
    width: 13px; height: 13px; border: 1px solid {c.muted}; border-radius: 3px; background: {c.base};
}}
QCheckBox::indicator:checked {{ background: {c.accent}; border-color: {c.accent}; image: url("{tick}"); }}
QCheckBox::indicator:disabled {{ border-color: {c.border}; }}
QToolButton#filterChip {{
    background: {c.selection}; color: {c.on_selection}; border: 1px solid {c.accent}; border-radius: 10px;
    padding: 1px 8px;
}}
QToolButton#filterChip:focus {{ border: 2px solid {c.accent}; }}
QLabel#searchMessage {{ color: {c.error}; }}
QLabel#searchHint, QLabel#matchCount {{ color: {c.muted}; }}
QLabel#paneTitle {{ color: {c.text}; font-weight: 600; padding: 2px 2px; }}
QLabel#readerBacklinks {{ color: {c.text}; padding: 2px 2px; }}
QLabel[role="error"] {{ color: {c.error}; }}
QWidget#emptyPage {{ background: {c.base}; border: 1px solid {c.border}; border-radius: 4px; }}
QLabel#emptyState {{ color: {c.text}; font-size: 11pt; padding: 8px; }}
QPushButton#emptyStateClear {{
    background: {c.base}; color: {c.accent}; border: 1px solid {c.accent}; border-radius: 4px; padding: 4px 14px;
}}
QStatusBar, QStatusBar QLabel {{ color: {c.text}; background: {c.window}; }}
QSplitter::handle {{ background: {c.window}; }}
QToolBar {{ border: none; background: {c.window}; spacing: 4px; }}
QDialog {{ background: {c.window}; color: {c.text}; }}
"""
