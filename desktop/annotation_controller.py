"""AnnotationController: wires the annotation views, actions and undo stack to the views they act on.

The main window creates it and places `sidebar` and `panel`; everything else
(the undo stack and its Undo/Redo actions, the annotation actions, the table's
context actions and drag setup, refreshing what a change touched) lives here,
so that the window's own code only gains a few lines. Menus come from
`desktop.actions.MENUS`. Holds no session: reads
and actions go through `AnnotationGateway` and `AnnotationOps`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from desktop.actions import ON_SELECTION, POSITION_ACTIONS, ActionRegistry
from desktop.annotation_gateway import AnnotationGateway
from desktop.annotation_ops import AnnotationOps
from desktop.gateway import LibraryGateway
from desktop.views import annotation_dialogs
from desktop.views.annotation_panel import HIGHLIGHT_COLOURS, AnnotationPanel
from desktop.views.annotation_sidebar import AnnotationSidebar
from desktop.views.detail_pane import DetailPane
from desktop.views.drop_feedback import DropNotice
from desktop.views.recommendation_table import RecommendationTableView
from desktop.views.report_reader import ReportReader
from models import annotations as a
from models.annotations import drops
from models.db.library import Library, LibraryError
from models.queries.remarks import RecommendationDetail, RemarkView

_LINK_KINDS = (a.CURATED_LINKS, a.REJECTED_LINKS)


_PAST = {"Add": "Added", "Tag": "Tagged", "Link": "Linked", "Reorder": "Reordered", "Move": "Moved"}


def _which(keys: Sequence) -> str:
    """ "the selected recommendation", or "the 3 selected recommendations"."""
    return "the selected recommendation" if len(keys) == 1 else f"the {len(keys)} selected recommendations"


def done_text(step: str) -> str:
    """The notice after a drop, from its undo step's name: "Add 2 recommendations to Briefing" -> "Added …"."""
    verb, _, rest = step.partition(" ")
    return f"{_PAST.get(verb, verb)} {rest}".strip()


class AnnotationController(QObject):
    """Collaborators are passed in: the table, contents tree, details and reader it acts on, the action
    registry, the corpus gateway; the undo stack, sidebar and panel are its own. What it asks of the
    window goes out as signals (`statusMessage`, `recommendationRequested`, `filterChanged`)."""

    statusMessage = Signal(str, int)  # message, milliseconds
    recommendationRequested = Signal(int)  # show this recommendation (by id)
    filterChanged = Signal()  # the sidebar's scope changed, or a change touched what the filter depends on
    libraryChanged = Signal()  # another member of a shared library imported a report, or the server came back

    def __init__(
        self,
        library: Library,
        *,
        actions: ActionRegistry,
        table: RecommendationTableView,
        tree: QTreeView,
        detail: DetailPane,
        reader: ReportReader,
        corpus: LibraryGateway,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.dialog_parent = parent
        self.library = library
        self._marked_keys: list | None = []  # the selection the menu items last showed
        self.actions, self.table, self.tree, self.detail, self.reader, self.corpus = (
            actions,
            table,
            tree,
            detail,
            reader,
            corpus,
        )
        self.table_model = table.model()
        self.stack = QUndoStack(self)
        self.stack.setObjectName("annotationUndoStack")
        self.ops = AnnotationOps(AnnotationGateway(library), self.stack, self)
        self.sidebar = AnnotationSidebar(self.ops, parent)
        self.panel = AnnotationPanel(self.ops, parent)
        self.panel.authors.setVisible(library.shared)  # who wrote a note matters where several people write
        self.notice = DropNotice(self.stack.undo, parent)
        actions.register(parent, "undo", self.stack.createUndoAction(parent, "Undo"), QKeySequence.StandardKey.Undo)
        actions.register(parent, "redo", self.stack.createRedoAction(parent, "Redo"), QKeySequence.StandardKey.Redo)

    # ------------------------------------------------------------------ wiring (after the window is built)

    def wire(self) -> None:
        r, ops, table = self.actions, self.ops, self.table
        names = (*ON_SELECTION, "toggle_priority", "edit_note")
        separator = QAction(table)
        separator.setSeparator(True)
        table.addActions([separator, *(r[name] for name in names[:-1])])
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        r["add_to_collection"].triggered.connect(self.add_to_collection)
        r["add_to_briefing"].triggered.connect(lambda: ops.add_to_collection(ops.gateway.briefing_id(), self.selected_keys()))
        r["tag"].triggered.connect(self.tag)
        r["link_to"].triggered.connect(self.link_to)
        r["remove_from_collection"].triggered.connect(self.remove_from_collection)
        r["untag"].triggered.connect(self.untag)
        r["toggle_priority"].triggered.connect(self.set_priority)
        for value, _label in POSITION_ACTIONS:
            r[f"position_{value}"].triggered.connect(lambda on, v=value: self.set_position(v if on else None))
        r["highlight"].triggered.connect(lambda: self.highlight(HIGHLIGHT_COLOURS[0][0]))
        r["clear_highlights"].triggered.connect(self.clear_highlights)
        r["edit_note"].triggered.connect(lambda: self.panel.note.setFocus(Qt.FocusReason.ShortcutFocusReason))
        r["new_collection"].triggered.connect(self.sidebar.new_collection)
        r["new_tag"].triggered.connect(self.sidebar.new_tag)
        r["focus_annotations"].triggered.connect(lambda: self.sidebar.view.setFocus(Qt.FocusReason.ShortcutFocusReason))
        writable = not self.library.read_only  # a read-only library: browsing only (the window shows a banner)
        for name in (*names, *(f"position_{value}" for value, _ in POSITION_ACTIONS)):
            r.set_rule(name, lambda: writable and bool(self.selected_keys()))
        for name in ("highlight", "clear_highlights"):
            r.set_rule(name, lambda: writable and self.current_key() is not None)
        for name in ("new_collection", "new_tag"):
            r.set_rule(name, lambda: writable)
        if not writable:
            self.panel.set_read_only()
            self.sidebar.set_read_only()

        # drag and drop: the table drags rows out and takes paragraphs and remarks; the contents tree drags
        self.table_model.annotations = ops
        for view in (table, self.tree):
            view.setDragEnabled(True)
        table.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop if writable else QAbstractItemView.DragDropMode.DragOnly)
        table.setDefaultDropAction(Qt.DropAction.CopyAction)
        table.setDragDropOverwriteMode(True)
        table.setDropIndicatorShown(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)

        ops.changed.connect(self.refresh)
        ops.refused.connect(lambda message: self.statusMessage.emit(message, 8000))
        ops.dropped.connect(lambda step: self.notice.show_text(done_text(step)))
        self.sidebar.filterChanged.connect(self.filterChanged)
        self.sidebar.recommendationActivated.connect(self.show_key)
        self.detail.linkAction.connect(self._link_action)
        self.detail.payloadDropped.connect(self._dropped_on_detail)
        self.panel.highlightRequested.connect(self.highlight)
        self.panel.clearHighlightsRequested.connect(self.clear_highlights)
        table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.live = None  # a shared library: what other members change arrives here
        if self.library.shared:
            from desktop.live import LiveChanges

            self.live = LiveChanges(self.library, self.dialog_parent, self)
            self.live.arrived.connect(self.apply_remote)
            self.live.connectionChanged.connect(self._connection_changed)

    def flush_notes(self) -> dict[a.RecommendationKey, str]:
        """Save now what typing left unsaved and what a busy or unreachable library refused; return
        the notes that still could not be saved (recommendation -> text), for the window to ask."""
        self.panel.save_note()
        if self.ops.unsaved_notes:
            self.ops.retry_unsaved_notes()
        unsaved = dict(self.ops.unsaved_notes)
        text = self.panel.unsaved_text()
        if text is not None and self.panel.key is not None:
            unsaved[a.RecommendationKey(*self.panel.key)] = text
        return unsaved

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()

    # ------------------------------------------------------------------ other members' changes (shared library)

    def apply_remote(self, notices: Sequence) -> None:
        """Refresh what other members changed: the table's markers, the sidebar, the open details.

        While the server is out of reach nothing is re-read (the status bar says so); the
        notice sent after reconnecting re-reads everything."""
        try:
            self._apply_remote(notices)
        except LibraryError:
            pass

    def _apply_remote(self, notices: Sequence) -> None:
        tables = {notice.table for notice in notices}
        if "*" in tables or "document" in tables:  # reconnected (changes unheard) or a report imported
            self.libraryChanged.emit()
            self.sidebar.refresh()
            self._refresh_details(None)
            return
        keys = {a.RecommendationKey(n.document_key, n.number) for n in notices if n.document_key and n.number}
        self.table_model.refresh_keys(keys)
        if tables & {"user_collection", "user_collection_item", "user_tag", "user_tag_item"}:
            self.sidebar.refresh()
            self.ops.remember_names()
        if self.table_model.current_filter.uses_annotations():
            self.filterChanged.emit()
        self._refresh_details(keys)

    def _refresh_details(self, keys: set | None) -> None:
        key = self.current_key()
        if key is None or (keys is not None and key not in keys):
            return
        annotations = self.ops.gateway.annotations(key)
        self.detail.set_highlights(annotations.highlights)
        self.panel.show_annotations(annotations)

    def _connection_changed(self, up: bool) -> None:
        if up and self.ops.note_unsaved:
            self.panel.save_note()  # the note kept in the editor while the server was away

    # ------------------------------------------------------------------ what is selected

    def current_key(self) -> a.RecommendationKey | None:
        detail = self.detail.detail
        return a.RecommendationKey(detail.document_key, detail.number) if detail is not None else None

    def selected_keys(self) -> list[a.RecommendationKey]:
        """The table's selected rows (in table order), else the recommendation in the details."""
        model = self.table_model
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        keys = [row.key for row in (model.row_data(n) for n in rows) if row is not None]
        current = self.current_key()
        return keys or ([current] if current is not None else [])

    # ------------------------------------------------------------------ showing

    def show(self, detail: RecommendationDetail) -> None:
        """The details show ``detail``: its highlights in the text, its marks in the panel."""
        key = a.RecommendationKey(detail.document_key, detail.number)
        annotations = self.ops.gateway.annotations(key)
        self.detail.set_highlights(annotations.highlights)
        self.panel.set_recommendation(key, annotations)
        self._marked_keys = self.selected_keys()
        self.show_marks_in_actions(annotations)  # the window updates the actions' enabled state after

    def show_none(self) -> None:
        """The details show a speaker or a State: no recommendation for the marks to belong to."""
        self.panel.set_recommendation(None, None)
        self.show_marks_in_actions()
        self.actions.update_enabled()

    def show_marks_in_actions(self, shown: a.RecommendationAnnotations | None = None) -> None:
        """Check the Priority and Position menu items as the selected recommendations are marked.

        ``shown``: the marks of the recommendation in the details, already read (no second query
        when it is the whole selection, as after a click).
        """
        keys = self.selected_keys()
        if shown is not None and keys == [self.panel.key]:
            flagged, positions = shown.priority, {shown.position}
        else:
            markers = self.ops.gateway.markers(keys) if keys else {}
            flagged = bool(markers) and all(m.priority for m in markers.values())
            positions = {m.position for m in markers.values()} if markers else set()
        self.actions["toggle_priority"].setChecked(bool(flagged))
        for value, _label in POSITION_ACTIONS:
            self.actions[f"position_{value}"].setChecked(positions == {value})

    def _selection_changed(self) -> None:
        """Menu items follow the selection; the same rows selected again (a new filter) cost nothing.
        A library that cannot be read just now leaves the menu's checks as they were."""
        keys = self.selected_keys()
        if keys == self._marked_keys:
            return
        self._marked_keys = keys
        try:
            self.show_marks_in_actions()
        except LibraryError:
            self._marked_keys = None  # read again on the next change of selection
        self.actions.update_enabled()

    def show_key(self, key: Sequence[str] | None) -> None:
        if key is None:
            return
        found = self.ops.gateway.ids_of([key])
        if found:
            self.recommendationRequested.emit(next(iter(found.values())))

    def refresh(self, changed: a.Changed) -> None:
        """Repaint what ``changed`` names: table rows, sidebar counts, the details, the filter if it depends on it."""
        self.table_model.refresh_keys(changed.keys)
        if changed.kind in (a.COLLECTIONS, a.COLLECTION_ITEMS, a.TAGS, a.TAG_ITEMS):
            self.sidebar.refresh(changed)
        if changed.kind in (a.COLLECTIONS, a.TAGS):
            self.corpus.forget_descriptions()  # a renamed collection or tag
        if self.table_model.current_filter.uses_annotations():
            self.filterChanged.emit()
        key = self.current_key()
        touched = (
            key in changed.keys
            or changed.kind in (a.COLLECTIONS, a.TAGS)
            or (changed.kind in _LINK_KINDS and any(k.document_key == key.document_key for k in changed.keys))
        )
        if key is None or not touched:
            return
        if changed.kind in _LINK_KINDS:
            detail = self.corpus.recommendation_detail(self.detail.detail.id)
            if detail is not None:
                self.detail.show_recommendation(detail)
        annotations = self.ops.gateway.annotations(key)
        self.detail.set_highlights(annotations.highlights)
        self.panel.show_annotations(annotations)
        if changed.kind in (a.POSITIONS_KIND, a.PRIORITIES):
            self.show_marks_in_actions()

    # ------------------------------------------------------------------ keyboard paths of the drags

    def add_to_collection(self) -> None:
        keys = self.selected_keys()
        if not keys:
            return
        options = annotation_dialogs.tree_options(self.ops.gateway.collection_tree())
        chosen = annotation_dialogs.choose(
            self.dialog_parent,
            "Add to Collection",
            f"Add {len(keys)} recommendation{'s' if len(keys) > 1 else ''} to:",
            options,
            allow_new="collection",
        )
        if isinstance(chosen, tuple) and chosen[0] == annotation_dialogs.NEW:
            done = self.ops.create_collection(chosen[1])
            chosen = done.ids[0] if done is not None and done.ids else None
        if isinstance(chosen, int):
            self.ops.add_to_collection(chosen, keys)

    def tag(self) -> None:
        keys = self.selected_keys()
        if not keys:
            return
        options = annotation_dialogs.tree_options(self.ops.gateway.tag_tree())
        chosen = annotation_dialogs.choose(
            self.dialog_parent,
            "Tag",
            f"Tag {len(keys)} recommendation{'s' if len(keys) > 1 else ''} with:",
            options,
            allow_new="tag",
        )
        if isinstance(chosen, tuple) and chosen[0] == annotation_dialogs.NEW:
            done = self.ops.create_tag(chosen[1])
            chosen = done.ids[0] if done is not None and done.ids else None
        if isinstance(chosen, int):
            self.ops.tag(chosen, keys)

    def _held(self, keys: Sequence[a.RecommendationKey], kind: str) -> list[tuple[str, int]]:
        """The collections (``kind`` "collections") or tags the recommendations of ``keys`` are in, by path."""
        held: dict[int, str] = {}
        for key in keys:
            for ref in getattr(self.ops.gateway.annotations(key), kind):
                held[ref.id] = ref.path
        return sorted(((path, node_id) for node_id, path in held.items()), key=lambda option: option[0].casefold())

    def remove_from_collection(self) -> None:
        self._take_off("collections", "Remove from Collection", "Take {which} out of:", ("is", "are"), "in no collection")

    def untag(self) -> None:
        self._take_off("tags", "Remove Tag", "Take this tag off {which}:", ("has", "have"), "no tag")

    def _take_off(self, kind: str, title: str, prompt: str, verbs: tuple[str, str], none: str) -> None:
        """Offer the collections or tags (``kind``) the selection is in; take the chosen one off, in one step.
        ``verbs`` (one, several) and ``none`` say that there is nothing to take off."""
        keys = self.selected_keys()
        options = self._held(keys, kind) if keys else []
        if not options:
            self.statusMessage.emit(f"{_which(keys).capitalize()} {verbs[len(keys) != 1]} {none}.", 6000)
            return
        chosen = annotation_dialogs.choose(self.dialog_parent, title, prompt.format(which=_which(keys)), options)
        if isinstance(chosen, int):
            (self.ops.remove_from_collection if kind == "collections" else self.ops.untag)(chosen, keys)

    def link_to(self) -> None:
        detail, key = self.detail.detail, self.current_key()
        if detail is None or key is None:
            return
        report = self.reader.report
        if report is None or report.document_id != detail.document_id:
            report = self.corpus.report_view(detail.document_id)
        chosen = annotation_dialogs.choose(
            self.dialog_parent,
            "Link to…",
            f"Link recommendation {detail.number} to a paragraph or remark:",
            annotation_dialogs.link_options(report),
        )
        if isinstance(chosen, drops.DropPayload):
            self.ops.drop(chosen, drops.ON_RECOMMENDATION, key=key)

    def set_priority(self) -> None:
        """Flag the selected recommendations, or unflag them if every one is flagged already."""
        keys = self.selected_keys()
        if keys:
            flagged = self.ops.gateway.markers(keys)
            self.ops.set_priority(keys, not all(m.priority for m in flagged.values()))
        self.show_marks_in_actions()

    def set_position(self, position: str | None) -> None:
        keys = self.selected_keys()
        if keys:
            self.ops.set_position(keys, position)
        self.show_marks_in_actions()

    # ------------------------------------------------------------------ the details

    def _link_action(self, kind: str, item: RemarkView) -> None:
        detail = self.detail.detail
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
        key, span = self.current_key(), self.detail.recommendation_selection()
        if key is None or span is None:
            self.statusMessage.emit("Select words in the recommendation's text first.", 6000)
            return
        self.ops.add_highlight(key, span[0], span[1], colour)

    def clear_highlights(self) -> None:
        key = self.current_key()
        if key is None:
            return
        self.ops.clear_highlights(key, self.detail.recommendation_selection())
