"""AnnotationController: wires the annotation views, actions, menus and undo stack into the main window.

The main window creates it and places `sidebar` and `panel`; everything else
(the undo stack and its Edit menu items, the Annotate menu, the table's
context actions and drag setup, refreshing what a change touched) lives here,
so that the window's own code only gains a few lines. Holds no session: reads
and actions go through `AnnotationGateway` and `AnnotationOps`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QMenu, QMenuBar

from desktop.annotation_gateway import AnnotationGateway
from desktop.annotation_ops import AnnotationOps
from desktop.views import annotation_dialogs
from desktop.views.annotation_panel import AnnotationPanel
from desktop.views.annotation_sidebar import AnnotationSidebar
from models import annotations as a
from models.annotations import drops
from models.remark_queries import RecommendationDetail, RemarkView

_LINK_KINDS = (a.CURATED_LINKS, a.REJECTED_LINKS)


def _menu(bar: QMenuBar, title: str, before_title: str | None = None) -> QMenu:
    """The menu called ``title`` (created, before ``before_title``, if the bar has none)."""
    for action in bar.actions():
        if action.menu() is not None and action.text().replace("&", "") == title.replace("&", ""):
            return action.menu()
    menu = QMenu(title, bar)
    before = next((act for act in bar.actions() if before_title and act.text().replace("&", "") == before_title), None)
    bar.insertMenu(before, menu) if before is not None else bar.addMenu(menu)
    return menu


class AnnotationController(QObject):
    def __init__(self, window) -> None:  # noqa: ANN001 - the MainWindow
        super().__init__(window)
        self.window = window
        self.stack = QUndoStack(self)
        self.stack.setObjectName("annotationUndoStack")
        self.ops = AnnotationOps(AnnotationGateway(window.library), self.stack, self)
        self.sidebar = AnnotationSidebar(self.ops, window)
        self.panel = AnnotationPanel(self.ops, window)

    # ------------------------------------------------------------------ wiring (after the window is built)

    def wire(self) -> None:
        w, r, ops = self.window, self.window.actions_, self.ops
        undo = r.register(w, "undo", self.stack.createUndoAction(w, "Undo"), QKeySequence.StandardKey.Undo)
        redo = r.register(w, "redo", self.stack.createRedoAction(w, "Redo"), QKeySequence("Ctrl+Shift+Z"))
        edit = _menu(w.menuBar(), "&Edit", "View")
        first = edit.actions()[0] if edit.actions() else None
        edit.insertActions(first, [undo, redo])
        edit.insertSeparator(first) if first is not None else edit.addSeparator()
        names = ("add_to_collection", "add_to_briefing", "tag", "link_to", "toggle_priority", "edit_note")
        annotate = _menu(w.menuBar(), "&Annotate", "View")
        for name in names:
            annotate.addAction(r[name])
        annotate.addSeparator()
        for name in ("new_collection", "new_tag", "focus_annotations"):
            annotate.addAction(r[name])
        edit.addSeparator()
        for name in names[:4]:
            edit.addAction(r[name])
        separator = r["add_to_collection"].__class__(w)
        separator.setSeparator(True)
        w.table.addActions([separator, *(r[name] for name in names[:5])])
        w.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        r["add_to_collection"].triggered.connect(self.add_to_collection)
        r["add_to_briefing"].triggered.connect(lambda: ops.add_to_collection(ops.gateway.briefing_id(),
                                                                             self.selected_keys()))
        r["tag"].triggered.connect(self.tag)
        r["link_to"].triggered.connect(self.link_to)
        r["toggle_priority"].triggered.connect(self.toggle_priority)
        r["edit_note"].triggered.connect(lambda: self.panel.note.setFocus(Qt.FocusReason.ShortcutFocusReason))
        r["new_collection"].triggered.connect(self.sidebar.new_collection)
        r["new_tag"].triggered.connect(self.sidebar.new_tag)
        r["focus_annotations"].triggered.connect(
            lambda: self.sidebar.view.setFocus(Qt.FocusReason.ShortcutFocusReason))
        for name in names:
            r.set_rule(name, lambda: bool(self.selected_keys()))

        # drag and drop: the table drags rows out and takes paragraphs and remarks; the contents tree drags
        w.table_model.annotations = ops
        for view in (w.table, w.tree):
            view.setDragEnabled(True)
        w.table.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        w.table.setDefaultDropAction(Qt.DropAction.CopyAction)
        w.table.setDragDropOverwriteMode(True)
        w.table.setDropIndicatorShown(True)
        w.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)

        ops.changed.connect(self.refresh)
        ops.refused.connect(lambda message: w.statusBar().showMessage(message, 8000))
        self.sidebar.filterChanged.connect(w.apply_filter)
        self.sidebar.recommendationActivated.connect(self.show_key)
        w.detail.linkAction.connect(self._link_action)
        w.detail.payloadDropped.connect(self._dropped_on_detail)
        self.panel.highlightRequested.connect(self.highlight)
        self.panel.clearHighlightsRequested.connect(self.clear_highlights)

    # ------------------------------------------------------------------ what is selected

    def current_key(self) -> a.RecommendationKey | None:
        detail = self.window.detail.detail
        return a.RecommendationKey(detail.document_key, detail.number) if detail is not None else None

    def selected_keys(self) -> list[a.RecommendationKey]:
        """The table's selected rows (in table order), else the recommendation in the details."""
        model = self.window.table_model
        rows = sorted(index.row() for index in self.window.table.selectionModel().selectedRows())
        keys = [row.key for row in (model.row_data(n) for n in rows) if row is not None]
        current = self.current_key()
        return keys or ([current] if current is not None else [])

    # ------------------------------------------------------------------ showing

    def show(self, detail: RecommendationDetail) -> None:
        """The details show ``detail``: its highlights in the text, its marks in the panel."""
        key = a.RecommendationKey(detail.document_key, detail.number)
        annotations = self.ops.gateway.annotations(key)
        self.window.detail.set_highlights(annotations.highlights)
        self.panel.set_recommendation(key, annotations)

    def show_key(self, key: Sequence[str] | None) -> None:
        if key is None:
            return
        found = self.ops.gateway.ids_of([key])
        if found:
            self.window.show_recommendation(next(iter(found.values())))

    def refresh(self, changed: a.Changed) -> None:
        """Repaint what ``changed`` names: table rows, sidebar counts, the details, the filter if it depends on it."""
        w = self.window
        w.table_model.refresh_keys(changed.keys)
        if changed.kind in (a.COLLECTIONS, a.COLLECTION_ITEMS, a.TAGS, a.TAG_ITEMS):
            self.sidebar.refresh(changed)
        f = w.table_model.current_filter
        if f.uses_annotations():
            w.apply_filter()
        key = self.current_key()
        touched = key in changed.keys or changed.kind in (a.COLLECTIONS, a.TAGS) or (
            changed.kind in _LINK_KINDS and any(k.document_key == key.document_key for k in changed.keys))
        if key is None or not touched:
            return
        if changed.kind in _LINK_KINDS:
            detail = w.gateway.recommendation_detail(w.detail.detail.id)
            if detail is not None:
                w.detail.show_recommendation(detail)
        annotations = self.ops.gateway.annotations(key)
        w.detail.set_highlights(annotations.highlights)
        self.panel.show_annotations(annotations)

    # ------------------------------------------------------------------ keyboard paths of the drags

    def _paths(self, nodes: Sequence, prefix: str = "") -> list[tuple[str, int]]:
        found = []
        for node in nodes:
            path = prefix + node.name
            found.append((path, node.id))
            found.extend(self._paths(node.children, path + a.PATH_SEPARATOR))
        return found

    def add_to_collection(self) -> None:
        keys = self.selected_keys()
        if not keys:
            return
        options = self._paths(self.ops.gateway.collection_tree())
        chosen = annotation_dialogs.choose(self.window, "Add to Collection",
                                           f"Add {len(keys)} recommendation{'s' if len(keys) > 1 else ''} to:",
                                           options, allow_new="collection")
        if isinstance(chosen, tuple) and chosen[0] == annotation_dialogs.NEW:
            done = self.ops.create_collection(chosen[1])
            chosen = done.ids[0] if done is not None and done.ids else None
        if isinstance(chosen, int):
            self.ops.add_to_collection(chosen, keys)

    def tag(self) -> None:
        keys = self.selected_keys()
        if not keys:
            return
        options = self._paths(self.ops.gateway.tag_tree())
        chosen = annotation_dialogs.choose(self.window, "Tag", f"Tag {len(keys)} recommendation"
                                           f"{'s' if len(keys) > 1 else ''} with:", options, allow_new="tag")
        if isinstance(chosen, tuple) and chosen[0] == annotation_dialogs.NEW:
            done = self.ops.create_tag(chosen[1])
            chosen = done.ids[0] if done is not None and done.ids else None
        if isinstance(chosen, int):
            self.ops.tag(chosen, keys)

    def link_to(self) -> None:
        detail, key = self.window.detail.detail, self.current_key()
        if detail is None or key is None:
            return
        report = self.window.reader.report
        if report is None or report.document_id != detail.document_id:
            report = self.window.gateway.report_view(detail.document_id)
        chosen = annotation_dialogs.choose(self.window, "Link to…",
                                           f"Link recommendation {detail.number} to a paragraph or remark:",
                                           annotation_dialogs.link_options(report))
        if isinstance(chosen, drops.DropPayload):
            self.ops.drop(chosen, drops.ON_RECOMMENDATION, key=key)

    def toggle_priority(self) -> None:
        keys = self.selected_keys()
        if keys:
            flagged = self.ops.gateway.markers(keys)
            self.ops.set_priority(keys, not all(m.priority for m in flagged.values()))

    # ------------------------------------------------------------------ the details

    def _link_action(self, kind: str, item: RemarkView) -> None:
        detail = self.window.detail.detail
        if detail is None:
            return
        key = a.RecommendationKey(detail.document_key, item.recommendation_number)
        if kind == "reject":
            self.ops.reject(key, item.paragraph_number, item.remark_position)
        elif kind == "restore":
            self.ops.restore(key, item.paragraph_number, item.remark_position)
        elif kind == "unlink":
            self.ops.revert_curated(key, item.paragraph_number, item.remark_position)

    def _dropped_on_detail(self, payload: drops.DropPayload) -> None:
        key = self.current_key()
        if key is not None:
            self.ops.drop(payload, drops.ON_RECOMMENDATION, key=key)

    def highlight(self, colour: str) -> None:
        key, span = self.current_key(), self.window.detail.recommendation_selection()
        if key is None or span is None:
            self.window.statusBar().showMessage("Select words in the recommendation's text first.", 6000)
            return
        self.ops.add_highlight(key, span[0], span[1], colour)

    def clear_highlights(self) -> None:
        key = self.current_key()
        if key is None:
            return
        self.ops.clear_highlights(key, self.window.detail.recommendation_selection())
