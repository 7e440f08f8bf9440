"""The explorer's actions, with shortcuts, icons and enabled-state rules, in one registry.

The main window only connects `triggered` signals and calls `update_enabled`
after navigation; menus and toolbars take actions from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from desktop.theme import icon
from models.annotations import POSITION_LABELS


def _access_keys(labels: list[str]) -> list[str]:
    """Each label with an access key of its own: the first of its letters no label before it took
    ("&Neutral", "Needs &instructions")."""
    taken: set[str] = set()
    keyed = []
    for label in labels:
        at = next((n for n, ch in enumerate(label) if ch.isalpha() and ch.casefold() not in taken), None)
        if at is None:
            keyed.append(label)
            continue
        taken.add(label[at].casefold())
        keyed.append(label[:at] + "&" + label[at:])
    return keyed


# The Position menu: the one list of positions and labels, each with its mnemonic
POSITION_ACTIONS = tuple(zip(POSITION_LABELS, _access_keys(list(POSITION_LABELS.values())), strict=True))

# The Annotate menu's commands on the selected recommendations (also the table's context menu)
ON_SELECTION = ("add_to_collection", "add_to_briefing", "tag", "link_to", "remove_from_collection", "untag")

# Every menu of the window, in order: action names, None for a separator, (title, names) for a submenu.
MENUS: tuple[tuple[str, tuple], ...] = (
    ("&File", ("import", "export", "print", "save_pdf", None, "quit")),
    ("&Edit", ("undo", "redo", None, "copy", None, "focus_search", "clear_filters")),
    ("&View", ("show_weaker", None, "toggle_sidebar", "toggle_details", "toggle_reader", None, "overview")),
    (
        "&Go",
        (
            "back",
            "forward",
            None,
            "next_pane",
            "previous_pane",
            None,
            "focus_tree",
            "focus_table",
            "focus_detail",
            "focus_reader",
            "focus_annotations",
        ),
    ),
    (
        "&Annotate",
        (
            *ON_SELECTION,
            None,
            ("P&osition", tuple(f"position_{value}" for value, _ in POSITION_ACTIONS)),
            "toggle_priority",
            "highlight",
            "clear_highlights",
            "edit_note",
            None,
            "new_collection",
            "new_tag",
        ),
    ),
    ("&Help", ("help_links", "help_shortcuts", None, "about")),
)


def _set_shortcut(action: QAction, shortcut: QKeySequence | QKeySequence.StandardKey | None) -> None:
    """A standard key gets every binding of the platform (Redo: Ctrl+Y on Windows, Ctrl+Shift+Z elsewhere).
    None: reached through its menu (its mnemonic) only."""
    if shortcut is None:
        return
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)
    else:
        action.setShortcut(shortcut)


class ActionRegistry:
    def __init__(self, window: QWidget) -> None:
        self._actions: dict[str, QAction] = {}
        self._rules: dict[str, Callable[[], bool]] = {}
        add = partial(self.add, window)
        # Edit
        add(
            "copy",
            "&Copy",
            QKeySequence.StandardKey.Copy,
            None,
            "Copy the selected recommendations as a table, or the selected text",
        )
        add("focus_search", "&Find…", QKeySequence.StandardKey.Find, "search", "Focus the search field")
        add(
            "clear_filters",
            "C&lear All Filters",
            QKeySequence("Ctrl+Shift+Backspace"),
            "clear",
            "Remove the search and every filter, topic and scope",
        )
        # View: the panes, each collapsed and restored
        add(
            "show_weaker",
            "Show &Weaker Links",
            QKeySequence("Ctrl+Shift+W"),
            None,
            "Also list remarks linked below the display threshold (weak links, kept on demand)",
            checkable=True,
        )
        add(
            "toggle_sidebar",
            "&Sidebar",
            QKeySequence("Ctrl+B"),
            None,
            "Show or hide the contents and your collections and tags",
            checkable=True,
        )
        add(
            "toggle_details", "&Details", QKeySequence("Ctrl+J"), None, "Show or hide the details under the table", checkable=True
        )
        add(
            "toggle_reader",
            "&Report Reader",
            QKeySequence("Ctrl+Alt+B"),
            None,
            "Show or hide the reader of the whole report",
            checkable=True,
        )
        # Go: history and panes
        add(
            "back",
            "&Back",
            QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left),
            "back",
            "Back to the previous recommendation, paragraph or filter",
        )
        add("forward", "&Forward", QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Right), "forward", "Forward again")
        add("next_pane", "&Next Pane", QKeySequence(Qt.Key.Key_F6), None, "Move the keyboard focus to the next pane")
        add(
            "previous_pane",
            "&Previous Pane",
            QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F6),
            None,
            "Move the keyboard focus to the previous pane",
        )
        add("focus_tree", "Go to &Contents", QKeySequence("Ctrl+0"), "section", "Move the keyboard focus to the contents tree")
        add(
            "focus_table",
            "Go to &Recommendations",
            QKeySequence("Ctrl+1"),
            "recommendation",
            "Move the keyboard focus to the recommendation table",
        )
        add("focus_detail", "Go to &Details", QKeySequence("Ctrl+2"), None, "Move the keyboard focus to the details")
        add("focus_reader", "Go to Rep&ort", QKeySequence("Ctrl+3"), "reader", "Move the keyboard focus to the report reader")
        add(
            "focus_annotations",
            "Go to &Annotations",
            QKeySequence("Ctrl+4"),
            None,
            "Move the keyboard focus to your collections and tags",
        )
        add("quit", "&Quit", QKeySequence.StandardKey.Quit, None, "Close Xref Explorer")
        # Annotate: every drag also from the keyboard (undo and redo come from the QUndoStack: `register`)
        add(
            "add_to_collection",
            "Add to &Collection…",
            QKeySequence("Ctrl+Shift+C"),
            None,
            "Add the selected recommendations to a collection",
        )
        add(
            "add_to_briefing",
            "Add to &Briefing",
            QKeySequence("Ctrl+Shift+B"),
            None,
            "Add the selected recommendations to the Briefing collection",
        )
        add("tag", "&Tag…", QKeySequence("Ctrl+Shift+T"), None, "Tag the selected recommendations")
        add(
            "remove_from_collection",
            "&Remove from Collection…",
            None,
            None,
            "Take the selected recommendations out of one of their collections",
        )
        add("untag", "Remo&ve Tag…", None, None, "Take one of their tags off the selected recommendations")
        add(
            "link_to",
            "&Link to…",
            QKeySequence("Ctrl+Shift+L"),
            None,
            "Link a paragraph or remark of the report to the current recommendation",
        )
        add(
            "toggle_priority",
            "&Priority",
            QKeySequence("Ctrl+Shift+I"),
            None,
            "Flag or unflag the selected recommendations as priorities",
            checkable=True,
        )
        for number, (value, label) in enumerate(POSITION_ACTIONS):
            add(
                f"position_{value}",
                label,
                QKeySequence(f"Ctrl+Shift+{number + 1}"),
                None,
                f"Set your delegation's position on the selected recommendations: {label.replace('&', '')}",
                checkable=True,
            )
        add(
            "highlight",
            "&Highlight Selection",
            QKeySequence("Ctrl+Shift+H"),
            None,
            "Highlight the words selected in the recommendation's text (yellow)",
        )
        add(
            "clear_highlights",
            "Re&move Highlights",
            QKeySequence(),
            None,
            "Remove your highlights in the selected words (or all of the recommendation's)",
        )
        add(
            "edit_note",
            "Edit &Note",
            QKeySequence("Ctrl+Shift+N"),
            None,
            "Move the keyboard focus to the note on the current recommendation",
        )
        add("new_collection", "Ne&w Collection", QKeySequence(), None, "Create a collection")
        add("new_tag", "New T&ag", QKeySequence(), None, "Create a tag")
        # Sharing and importing (File menu; "export_selection" is also in the table's context menu).
        add(
            "import",
            "&Import Reports…",
            QKeySequence("Ctrl+O"),
            "document",
            "Import further reports (PDF, Word or text files) into the library",
        )
        add(
            "export",
            "&Export…",
            QKeySequence("Ctrl+E"),
            None,
            "Export recommendations with the remarks behind them to Word or CSV",
        )
        add("export_selection", "Export Selection…", QKeySequence(), None, "Export the selected recommendations to Word or CSV")
        add(
            "print",
            "&Print…",
            QKeySequence.StandardKey.Print,
            None,
            "Print the selected recommendations (or the filtered table) as a briefing",
        )
        add(
            "save_pdf",
            "Save as P&DF…",
            QKeySequence("Ctrl+Shift+P"),
            None,
            "Save the selected recommendations (or the filtered table) as a PDF briefing",
        )
        # Help
        add(
            "help_links",
            "How &Links Are Made",
            QKeySequence.StandardKey.HelpContents,
            None,
            "How remarks are linked to recommendations, and how to read a score",
        )
        add("help_shortcuts", "&Keyboard Shortcuts", QKeySequence("Ctrl+/"), None, "Every command and its shortcut")
        add("about", "&About Xref Explorer", QKeySequence(), None, "Version, library and the reports in it")
        self.positions = QActionGroup(window)
        self.positions.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        for value, _label in POSITION_ACTIONS:
            self.positions.addAction(self._actions[f"position_{value}"])

        # The meeting at a glance (View menu; a dock of the main window).
        self.add(
            window,
            "overview",
            "&Overview",
            QKeySequence("Ctrl+Shift+O"),
            None,
            "Show who spoke on what: topics by regional group, State, section and year, and "
            "recommendations by support (Ctrl+Shift+O)",
            checkable=True,
        )

    def add(
        self,
        window: QWidget,
        name: str,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | None,
        icon_name: str | None,
        tip: str,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, window)
        action.setObjectName(f"action_{name}")
        _set_shortcut(action, shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if not action.shortcut().isEmpty():
            tip = f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        if icon_name:
            action.setIcon(icon(icon_name))
        window.addAction(action)
        self._actions[name] = action
        return action

    def register(
        self, window: QWidget, name: str, action: QAction, shortcut: QKeySequence | QKeySequence.StandardKey | None = None
    ) -> QAction:
        """Adopt an action made elsewhere (the undo stack's Undo and Redo)."""
        action.setObjectName(f"action_{name}")
        if shortcut is not None:
            _set_shortcut(action, shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(action)
        self._actions[name] = action
        return action

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __iter__(self) -> Iterator[tuple[str, QAction]]:
        return iter(self._actions.items())

    def build_menus(self, bar: QMenuBar) -> dict[str, QMenu]:
        """The menu bar, from `MENUS`: every menu item of the window is declared there."""
        menus = {}
        for title, entries in MENUS:
            menu = bar.addMenu(title)
            menu.setObjectName(f"menu_{title.replace('&', '').lower()}")
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                elif isinstance(entry, tuple):
                    sub = menu.addMenu(entry[0])
                    sub.addActions([self._actions[name] for name in entry[1]])
                else:
                    menu.addAction(self._actions[entry])
            menus[title.replace("&", "")] = menu
        return menus

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """(menu, command, shortcut) for every menu item with a shortcut, in menu order: the Help reference."""
        rows = []
        for title, entries in MENUS:
            names = [n for e in entries if e is not None for n in (e[1] if isinstance(e, tuple) else (e,))]
            for name in names:
                action = self._actions.get(name)
                if action is not None and not action.shortcut().isEmpty():
                    keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
                    rows.append((title.replace("&", ""), action.text().replace("&", ""), keys))
        return rows

    def set_rule(self, name: str, rule: Callable[[], bool]) -> None:
        self._rules[name] = rule

    def restrict(self, name: str, reason: str) -> None:
        """Keep an action disabled for good (the user's role may not do it), saying why in its tip."""
        action = self._actions[name]
        action.setToolTip(reason)
        action.setStatusTip(reason)
        self._rules[name] = lambda: False
        action.setEnabled(False)

    def update_enabled(self) -> None:
        for name, rule in self._rules.items():
            self._actions[name].setEnabled(rule())
