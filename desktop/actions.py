"""The explorer's actions, with shortcuts, icons and enabled-state rules, in one registry.

The main window only connects `triggered` signals and calls `update_enabled`
after navigation; menus and toolbars take actions from here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desktop.theme import icon


class ActionRegistry:
    def __init__(self, window: QWidget) -> None:
        self._actions: dict[str, QAction] = {}
        self._rules: dict[str, Callable[[], bool]] = {}
        self.add(window, "focus_search", "&Find…", QKeySequence.StandardKey.Find, "search",
                 "Focus the search field (Ctrl+F)")
        self.add(window, "clear_filters", "&Clear Filters", QKeySequence(Qt.Key.Key_Escape), "clear",
                 "Clear the search and every filter (Esc)")
        self.add(window, "back", "&Back", QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), "back",
                 "Back to the previous recommendation or paragraph (Alt+Left)")
        self.add(window, "forward", "&Forward", QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Right), "forward",
                 "Forward (Alt+Right)")
        self.add(window, "show_weaker", "Show &Weaker Links", QKeySequence("Ctrl+Shift+W"), None,
                 "Also list remarks linked below the display threshold", checkable=True)
        self.add(window, "focus_table", "Go to &Recommendations", QKeySequence("Ctrl+1"), "recommendation",
                 "Move the keyboard focus to the recommendation table")
        self.add(window, "focus_detail", "Go to &Details", QKeySequence("Ctrl+2"), None,
                 "Move the keyboard focus to the details")
        self.add(window, "focus_reader", "Go to Re&port", QKeySequence("Ctrl+3"), "reader",
                 "Move the keyboard focus to the report reader")
        self.add(window, "focus_tree", "Go to &Contents", QKeySequence("Ctrl+0"), "section",
                 "Move the keyboard focus to the contents tree")
        self.add(window, "quit", "&Quit", QKeySequence.StandardKey.Quit, None, "Close Xref Explorer")
        # Annotations: every drag also from the keyboard (undo and redo come from the QUndoStack: `register`)
        self.add(window, "add_to_collection", "Add to &Collection…", QKeySequence("Ctrl+Shift+C"), None,
                 "Add the selected recommendations to a collection (Ctrl+Shift+C)")
        self.add(window, "add_to_briefing", "Add to &Briefing", QKeySequence("Ctrl+Shift+B"), None,
                 "Add the selected recommendations to the Briefing collection (Ctrl+Shift+B)")
        self.add(window, "tag", "&Tag…", QKeySequence("Ctrl+Shift+T"), None,
                 "Tag the selected recommendations (Ctrl+Shift+T)")
        self.add(window, "link_to", "&Link to…", QKeySequence("Ctrl+Shift+L"), None,
                 "Link a paragraph or remark of the report to the current recommendation (Ctrl+Shift+L)")
        self.add(window, "toggle_priority", "&Priority", QKeySequence("Ctrl+Shift+I"), None,
                 "Flag or unflag the selected recommendations as priorities (Ctrl+Shift+I)")
        self.add(window, "edit_note", "Edit &Note", QKeySequence("Ctrl+Shift+N"), None,
                 "Move the keyboard focus to the note on the current recommendation (Ctrl+Shift+N)")
        self.add(window, "new_collection", "New Co&llection", QKeySequence(), None, "Create a collection")
        self.add(window, "new_tag", "New T&ag", QKeySequence(), None, "Create a tag")
        self.add(window, "focus_annotations", "Go to &Annotations", QKeySequence("Ctrl+4"), None,
                 "Move the keyboard focus to your collections and tags")
        # Sharing and importing (File menu; "export_selection" is also in the table's context menu).
        self.add(window, "import", "&Import Reports…", QKeySequence("Ctrl+O"), "document",
                 "Import further reports (PDF, Word or text files) into the library (Ctrl+O)")
        self.add(window, "export", "&Export…", QKeySequence("Ctrl+E"), None,
                 "Export recommendations with the remarks behind them to Word or CSV (Ctrl+E)")
        self.add(window, "export_selection", "Export Selection…", QKeySequence(), None,
                 "Export the selected recommendations to Word or CSV")
        self.add(window, "print", "&Print…", QKeySequence.StandardKey.Print, None,
                 "Print the selected recommendations (or the filtered table) as a briefing")
        self.add(window, "save_pdf", "Save as P&DF…", QKeySequence("Ctrl+Shift+P"), None,
                 "Save the selected recommendations (or the filtered table) as a PDF briefing")

        # The meeting at a glance (View menu; a dock of the main window).
        self.add(window, "overview", "&Overview", QKeySequence("Ctrl+Shift+O"), None,
                 "Show who spoke on what: topics by regional group, State, section and year, and "
                 "recommendations by support (Ctrl+Shift+O)", checkable=True)

    def add(self, window: QWidget, name: str, text: str, shortcut: QKeySequence | QKeySequence.StandardKey,
            icon_name: str | None, tip: str, checkable: bool = False) -> QAction:
        action = QAction(text, window)
        action.setObjectName(f"action_{name}")
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        if icon_name:
            action.setIcon(icon(icon_name))
        window.addAction(action)
        self._actions[name] = action
        return action

    def register(self, window: QWidget, name: str, action: QAction, shortcut: QKeySequence | None = None) -> QAction:
        """Adopt an action made elsewhere (the undo stack's Undo and Redo)."""
        action.setObjectName(f"action_{name}")
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(action)
        self._actions[name] = action
        return action

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

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
