"""AnnotationSidebar: the delegate's collections and tags, the open collection's items, and annotation filters.

The tree (`annotationSidebar`, a QTreeView over `AnnotationTreeModel`) takes
drops of recommendations and nests collections and tags by drag; names are
edited inline (F2 or double-click). Selecting a collection lists its items, in
its order, in `collectionItems`, where dragging reorders them. The filter row
restricts the recommendation table to annotated recommendations (and, when
"Only selected" is on, to the selected collection or tag). Every change goes
through `AnnotationOps` (undoable); the sidebar never touches the library.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.annotation_ops import AnnotationOps
from desktop.itemmodels.annotation_tree import COLLECTION, COLLECTIONS_ROOT, TAG, TAGS_ROOT, AnnotationTreeModel
from desktop.itemmodels.collection_items import CollectionItemsModel
from desktop.itemmodels.roles import IdRole, KeyRole, KindRole
from desktop.views import annotation_dialogs
from desktop.views.changed_by_delegate import ChangedByDelegate
from desktop.views.drop_feedback import DropTargetHighlighter
from desktop.views.tree_conflict import TreeConflictBar
from models.annotations import POSITION_LABELS, Changed

TOP_LEVEL = "top level"  # "Move To…": out of any collection or tag

FILTERS = (
    ("All recommendations", {}),
    ("With a note", {"has_note": True}),
    ("Priorities", {"priority": True}),
    *((label, {"position": key}) for key, label in POSITION_LABELS.items()),
)


def _one_place(first: int, last: int, count: int, step: int) -> int | None | bool:
    """Where rows ``first``..``last`` of ``count`` go to move one place up (``step`` -1) or down (1),
    as the row they go before (None: to the end), the way a drop names it; False when they cannot."""
    if (step < 0 and first == 0) or (step > 0 and last == count - 1):
        return False
    return first - 1 if step < 0 else (last + 2 if last + 2 < count else None)


def _unique(base: str, taken: set[str]) -> str:
    name, number = base, 2
    while name.casefold() in taken:
        name, number = f"{base} {number}", number + 1
    return name


class AnnotationSidebar(QWidget):
    filterChanged = Signal()
    recommendationActivated = Signal(object)  # RecommendationKey
    exportRequested = Signal(int)  # a collection id: the main window opens the export dialog on it

    def __init__(self, ops: AnnotationOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPane")
        self.ops = ops
        self.model = AnnotationTreeModel(ops, self)
        self.items_model = CollectionItemsModel(ops, self)

        title = QLabel("My annotations", self)
        title.setObjectName("paneTitle")
        self.new_collection_button = self._button(
            "newCollection", "+ Collection", "New collection (in the selected one)", self.new_collection
        )
        self.new_tag_button = self._button("newTag", "+ Tag", "New tag (under the selected one)", self.new_tag)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title, 1)
        head.addWidget(self.new_collection_button)
        head.addWidget(self.new_tag_button)

        self.view = QTreeView(self)
        self.view.setObjectName("annotationSidebar")
        self.view.setAccessibleName("Collections and tags: drop recommendations here")
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setItemDelegateForColumn(0, ChangedByDelegate(self.view))  # "· Ana, 2 Dec" in a shared library
        self.view.setUniformRowHeights(True)
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.header().resizeSection(1, 36)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.drop_target = DropTargetHighlighter(self.view)  # the collection or tag under a drag is framed
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.expandAll()
        self.model.modelAboutToBeReset.connect(self._remember_view)
        self.model.modelReset.connect(self._restore_view)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        # every drag in the pane also from the keyboard: these act on the view that has the focus
        self.move_up_action = self._pane_action(self.view, "Move &Up", "Ctrl+Up", lambda: self.move_selected(-1))
        self.move_down_action = self._pane_action(self.view, "Move &Down", "Ctrl+Down", lambda: self.move_selected(1))
        self.move_to_action = self._pane_action(self.view, "&Move To…", "Ctrl+Shift+M", self.move_selected_to)
        self.rename_action = self._pane_action(self.view, "&Rename", "F2", self.rename_selected)
        self.delete_action = self._pane_action(self.view, "&Delete…", "Del", self.delete_selected)

        self.items_title = QLabel("Select a collection to see its items", self)
        self.items_title.setObjectName("collectionItemsTitle")
        self.items_view = QListView(self)
        self.items_view.setObjectName("collectionItems")
        self.items_view.setAccessibleName(
            "Items of the selected collection, in order: drag, or Ctrl+Up and Ctrl+Down, to reorder"
        )
        self.items_view.setToolTip("Drag, or press Ctrl+Up / Ctrl+Down, to reorder; Del takes items out of the collection")
        self.items_view.setModel(self.items_model)
        self.items_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.items_view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.items_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.items_view.setDropIndicatorShown(True)
        self.items_view.activated.connect(lambda index: self.recommendationActivated.emit(index.data(KeyRole)))
        self.items_view.clicked.connect(lambda index: self.recommendationActivated.emit(index.data(KeyRole)))
        self.items_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.items_view.customContextMenuRequested.connect(self._items_menu)
        self.item_up_action = self._pane_action(self.items_view, "Move &Up", "Ctrl+Up", lambda: self.move_items(-1))
        self.item_down_action = self._pane_action(self.items_view, "Move &Down", "Ctrl+Down", lambda: self.move_items(1))
        self.item_remove_action = self._pane_action(self.items_view, "&Remove from Collection", "Del", self.remove_selected_items)

        self.filter_combo = QComboBox(self)
        self.filter_combo.setObjectName("annotationFilter")
        self.filter_combo.setAccessibleName("Show only annotated recommendations")
        for label, _ in FILTERS:
            self.filter_combo.addItem(label)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.filterChanged.emit())
        self.only_selected = QCheckBox("Only selected", self)
        self.only_selected.setObjectName("filterBySelection")
        self.only_selected.setAccessibleName("Show only the recommendations of the selected collection or tag")
        self.only_selected.setToolTip("Show in the table only the recommendations of the selected collection or tag")
        self.only_selected.toggled.connect(lambda _on: self.filterChanged.emit())
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.filter_combo, 1)
        filters.addWidget(self.only_selected)

        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.setSpacing(2)
        lower_layout.addWidget(self.items_title)
        lower_layout.addWidget(self.items_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("annotationSplitter")
        splitter.addWidget(self.view)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addLayout(filters)
        self.conflict = TreeConflictBar(ops, self)  # a rename, move or delete someone else's change made stale
        ops.stale.connect(self._stale)
        layout.addWidget(self.conflict)
        layout.addWidget(splitter, 1)
        self._expanded: set[tuple] = set()
        self._selected: tuple | None = None
        # The selected collection or tag that a change took away (deleted, or by someone else), and
        # whether it scoped the table: if it comes back (Undo) before another is chosen, so does the view.
        self._vanished: tuple[tuple, bool] | None = None
        self._writable = True  # False once `set_read_only`: collections and tags are shown, not changed

    @staticmethod
    def _pane_action(view: QWidget, text: str, keys: str, slot) -> QAction:
        """A command of ``view``'s context menu, with keys that work while ``view`` has the focus."""
        action = QAction(text, view)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        view.addAction(action)
        return action

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """(place, command, keys) of the pane's own commands, for the Help's list of shortcuts."""
        places = (
            (
                "Collections and tags",
                (self.move_up_action, self.move_down_action, self.move_to_action, self.rename_action, self.delete_action),
            ),
            ("Items of a collection", (self.item_up_action, self.item_down_action, self.item_remove_action)),
        )
        return [
            (place, action.text().replace("&", ""), action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
            for place, actions in places
            for action in actions
        ]

    def _button(self, name: str, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(slot)
        return button

    # ------------------------------------------------------------------ selection and filters

    def selected(self) -> tuple[str | None, int | None]:
        index = self.view.currentIndex()
        return (index.data(KindRole), index.data(IdRole)) if index.isValid() else (None, None)

    def select(self, kind: str, node_id: int | None) -> None:
        index = self.model.index_of(kind, node_id)
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )

    def annotation_filter(self) -> dict:
        """Fields of `RecommendationFilter` for the chosen annotation filter."""
        fields = dict(FILTERS[max(self.filter_combo.currentIndex(), 0)][1])
        kind, node_id = self.selected()
        if self.only_selected.isChecked() and kind == COLLECTION:
            fields["collection_id"] = node_id
        elif self.only_selected.isChecked() and kind == TAG:
            fields["tag_id"] = node_id
        return fields

    def set_annotation_filter(self, f) -> None:
        """Show the annotation part of ``f`` (a Back/Forward step) without announcing it."""
        wanted = {
            key: value for key, value in (("has_note", f.has_note), ("priority", f.priority), ("position", f.position)) if value
        }
        index = next((n for n, (_label, fields) in enumerate(FILTERS) if fields == wanted), 0)
        for widget in (self.filter_combo, self.only_selected, self.view.selectionModel()):
            widget.blockSignals(True)
        self.filter_combo.setCurrentIndex(index)
        node = (
            (COLLECTION, f.collection_id) if f.collection_id is not None else ((TAG, f.tag_id) if f.tag_id is not None else None)
        )
        if node is not None:
            self.select(*node)
        self.only_selected.setChecked(node is not None)
        for widget in (self.filter_combo, self.only_selected, self.view.selectionModel()):
            widget.blockSignals(False)

    def clear_filter(self, field: str | None = None) -> None:
        """Drop the sidebar's restriction on ``field`` (None: all of them) without announcing it."""
        for widget in (self.filter_combo, self.only_selected):
            widget.blockSignals(True)
        if field in (None, "has_note", "priority", "position"):
            self.filter_combo.setCurrentIndex(0)
        if field in (None, "collection_id", "tag_id"):
            self.only_selected.setChecked(False)
        for widget in (self.filter_combo, self.only_selected):
            widget.blockSignals(False)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        kind, node_id = current.data(KindRole), current.data(IdRole)
        if current.isValid():
            self._vanished = None  # another was chosen: a vanished one coming back no longer takes the view
        if kind == COLLECTION:
            self.items_model.set_collection(node_id)
            self.items_title.setText(f"In {current.siblingAtColumn(0).data()}, in order (drag to reorder)")
        else:
            self.items_model.set_collection(None)
            self.items_title.setText("Select a collection to see its items")
        if self.only_selected.isChecked():
            self.filterChanged.emit()

    # ------------------------------------------------------------------ refresh

    def _stale(self, error) -> None:
        """Someone else changed or deleted a collection or tag: show theirs (the bar says so)."""
        if error.node_id is not None:
            self.refresh()

    def refresh(self, changed: Changed | None = None) -> None:
        """Re-read counts and shape (a reset keeps expansion and selection); re-read the open collection."""
        self.model.refresh()
        if (
            self.items_model.collection_id is not None
            and self.model.index_of(COLLECTION, self.items_model.collection_id).isValid()
        ):
            self.items_model.refresh()
        elif self.items_model.collection_id is not None:
            self.items_model.set_collection(None)

    def _remember_view(self) -> None:
        self._expanded = set()

        def walk(parent: QModelIndex) -> None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                if self.view.isExpanded(index):
                    self._expanded.add((index.data(KindRole), index.data(IdRole)))
                walk(index)

        walk(QModelIndex())
        kind, node_id = self.selected()
        self._selected = (kind, node_id) if kind else None

    def _restore_view(self) -> None:
        def walk(parent: QModelIndex) -> None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                ref = (index.data(KindRole), index.data(IdRole))
                if ref in self._expanded or ref[0] in (COLLECTIONS_ROOT, TAGS_ROOT) or not self._expanded:
                    self.view.expand(index)
                walk(index)

        walk(QModelIndex())
        rescope = False
        if self._selected is None and self._vanished is not None:
            (node, scoped), self._vanished = self._vanished, None
            if self.model.index_of(*node).isValid():  # it came back: so does the view on it
                self._selected, rescope = node, scoped
        if self._selected is not None:
            index = self.model.index_of(*self._selected)
            if index.isValid():
                self.view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                if rescope and not self.only_selected.isChecked():
                    self.only_selected.setChecked(True)  # announced: the table is scoped again
            else:
                self._vanished = (self._selected, self.only_selected.isChecked())
                if self.only_selected.isChecked():
                    self.only_selected.setChecked(False)  # nothing left to scope the table to; announced

    # ------------------------------------------------------------------ actions

    def _taken(self, kind: str) -> set[str]:
        names: set[str] = set()
        root = self.model.index(0 if kind == COLLECTION else 1, 0)

        def walk(parent: QModelIndex) -> None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                names.add(str(index.data()).casefold())
                walk(index)

        walk(root)
        return names

    def set_read_only(self) -> None:
        """The library cannot be written: collections and tags are shown and filter, nothing is changed."""
        self._writable = False
        self.new_collection_button.setEnabled(False)
        self.new_tag_button.setEnabled(False)
        for view in (self.view, self.items_view):
            view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            for action in view.actions():
                action.setEnabled(False)

    def new_collection(self) -> None:
        kind, node_id = self.selected()
        parent_id = node_id if kind == COLLECTION else None
        done = self.ops.create_collection(_unique("New collection", self._taken(COLLECTION)), parent_id)
        self._edit_new(COLLECTION, done)

    def new_tag(self) -> None:
        kind, node_id = self.selected()
        parent_id = node_id if kind == TAG else None
        done = self.ops.create_tag(_unique("New tag", self._taken(TAG)), parent_id)
        self._edit_new(TAG, done)

    def _edit_new(self, kind: str, done: Changed | None) -> None:
        if done is None or not done.ids:
            return
        self.select(kind, done.ids[0])
        index = self.model.index_of(kind, done.ids[0])
        self.view.scrollTo(index)
        self.view.edit(index)

    def rename_selected(self) -> None:
        index = self.view.currentIndex().siblingAtColumn(0)
        if index.isValid() and self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self.view.edit(index)

    def delete_selected(self) -> None:
        index = self.view.currentIndex().siblingAtColumn(0)
        kind, node_id = self.selected()
        if kind not in (COLLECTION, TAG) or not self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return
        name = index.data()
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete",
            f"Delete the {kind} “{name}” and everything inside it?\n"
            "The recommendations themselves stay. You can undo this (Ctrl+Z).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirmDelete")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        if kind == COLLECTION:
            self.ops.delete_collection(node_id)
        else:
            self.ops.delete_tag(node_id)

    def _context_menu(self, point) -> None:
        index = self.view.indexAt(point)
        if index.isValid() and index != self.view.currentIndex():
            self.view.setCurrentIndex(index)  # the menu acts on the node it was opened on
        menu = QMenu(self)
        menu.addAction("New Collection", self.new_collection)
        menu.addAction("New Tag", self.new_tag)
        kind = index.data(KindRole) if index.isValid() else None
        if kind == COLLECTION:
            menu.addSeparator()
            menu.addAction("Export Collection…", lambda: self.exportRequested.emit(index.data(IdRole)))
        if kind in (COLLECTION, TAG) and self._writable:
            menu.addSeparator()
            if kind == COLLECTION:
                menu.addActions([self.move_up_action, self.move_down_action])
            menu.addAction(self.move_to_action)
        if index.isValid() and self.model.flags(index.siblingAtColumn(0)) & Qt.ItemFlag.ItemIsEditable and self._writable:
            menu.addSeparator()
            menu.addActions([self.rename_action, self.delete_action])
        menu.exec(self.view.viewport().mapToGlobal(point))

    def _items_menu(self, point) -> None:
        if not self._selected_items() or not self._writable:
            return
        menu = QMenu(self)
        menu.addActions([self.item_up_action, self.item_down_action, self.item_remove_action])
        menu.exec(self.items_view.viewport().mapToGlobal(point))

    # ------------------------------------------------------------------ the drags, from the keyboard

    def _selected_items(self) -> list[int]:
        """Rows selected in the open collection's item list (none when no collection is open)."""
        if self.items_model.collection_id is None:
            return []
        return sorted(index.row() for index in self.items_view.selectionModel().selectedRows())

    def move_items(self, step: int) -> None:
        """Move the selected items of the open collection one place up (-1) or down (1), kept together."""
        rows = self._selected_items()
        count = self.items_model.rowCount()
        if not rows or not self._writable:
            return
        row = _one_place(rows[0], rows[-1], count, step)
        if row is False:
            return
        keys = [self.items_model.keys()[n] for n in rows]
        if self.ops.reorder(self.items_model.collection_id, keys, row) is not None:
            self._select_items(keys)

    def _select_items(self, keys: list) -> None:
        selection = self.items_view.selectionModel()
        selection.clearSelection()
        order = self.items_model.keys()
        for key in keys:
            if key in order:
                index = self.items_model.index(order.index(key))
                selection.select(index, QItemSelectionModel.SelectionFlag.Select)
        if keys and keys[0] in order:
            selection.setCurrentIndex(self.items_model.index(order.index(keys[0])), QItemSelectionModel.SelectionFlag.NoUpdate)

    def remove_selected_items(self) -> None:
        rows = self._selected_items()
        if rows and self._writable:
            keys = [self.items_model.keys()[row] for row in rows]
            self.ops.remove_from_collection(self.items_model.collection_id, keys)

    def move_selected(self, step: int) -> None:
        """Move the selected collection one place up (-1) or down (1) among its siblings (tags keep
        their names' order)."""
        index = self.view.currentIndex().siblingAtColumn(0)
        kind, node_id = self.selected()
        if kind != COLLECTION or not self._writable:
            return
        row = _one_place(index.row(), index.row(), self.model.rowCount(index.parent()), step)
        if row is False:
            return
        parent = index.parent()
        parent_id = parent.data(IdRole) if parent.data(KindRole) == COLLECTION else None
        self.ops.move_collection(node_id, parent_id, row)

    def move_selected_to(self) -> None:
        """Nest the selected collection or tag under another one of its kind, or at the top level."""
        kind, node_id = self.selected()
        if kind not in (COLLECTION, TAG) or not self._writable:
            return
        nodes = self.ops.gateway.collection_tree() if kind == COLLECTION else self.ops.gateway.tag_tree()
        options = [("Top level", TOP_LEVEL), *annotation_dialogs.tree_options(nodes, leave_out=node_id)]
        name = self.view.currentIndex().siblingAtColumn(0).data()
        chosen = annotation_dialogs.choose(self, "Move To", f"Move the {kind} “{name}” into:", options)
        if chosen is None:
            return
        parent_id = None if chosen == TOP_LEVEL else chosen
        if kind == COLLECTION:
            self.ops.move_collection(node_id, parent_id)
        else:
            self.ops.move_tag(node_id, parent_id)
