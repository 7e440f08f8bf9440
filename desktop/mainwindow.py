"""The main window: builds the views, wires them to the gateway, keeps history and settings.

Holds no domain logic and no SQL: every read goes through `LibraryGateway`
(small queries on the GUI thread, the whole-report load on the `Worker`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QSplitter,
    QTextEdit,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop import printing, shared_library
from desktop import settings as stored
from desktop.actions import ActionRegistry
from desktop.annotation_controller import AnnotationController
from desktop.filtering import FilterScheduler
from desktop.folders import last_folder, remember_folder
from desktop.gateway import EAGER_TREE_DOCUMENTS, LibraryGateway
from desktop.itemmodels.recommendation_table import RecommendationTableModel
from desktop.itemmodels.roles import IdRole, KindRole
from desktop.itemmodels.section_drag import DraggableSectionTreeModel
from desktop.navigation import History, Location
from desktop.overview_gateway import OverviewGateway
from desktop.theme import colours, icon, style_sheet, use_palette
from desktop.views import annotation_dialogs
from desktop.views import help as help_views
from desktop.views.detail_pane import DetailPane
from desktop.views.detail_pane import css as detail_css
from desktop.views.export_flow import ExportFlow
from desktop.views.filter_bar import FilterBar
from desktop.views.import_flow import ImportFlow, report_paths
from desktop.views.overview import OverviewView
from desktop.views.read_only_banner import ReadOnlyBanner
from desktop.views.recommendation_table import RecommendationPanel, RecommendationTableView
from desktop.views.report_reader import ReportReader
from desktop.worker import Worker
from models.briefing.contents import Briefing
from models.build.importing import ImportResult
from models.db.fulltext import searched_as_plain_words
from models.db.library import Library, LibraryError
from models.help_text import LINKS_SECTION, readme_section
from models.queries.filters import FilterPart, RecommendationFilter
from models.queries.overview import cell_filter

READER_MIN_WIDTH = 240
READER_SHARE = 0.22  # of the window's width, when the reader opens or first appears
FILTER_SETTLE_MS = 700  # filters unchanged this long become a Back/Forward step


class _AfterFirstPaint(QObject):
    """Calls ``callback`` once ``widget`` has been painted the first time (start-up idle time)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._callback)  # once this paint is done
        return False


class MainWindow(QMainWindow):
    # The table shows the newest filter's matches: its first screen (False) or all of them (True).
    filterApplied = Signal(bool)

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.gateway = LibraryGateway(library)
        self.history = History()
        self.worker = Worker(self)
        self._opening = True  # filters run at once until the window is built and restored
        self._restyling = False
        self._replaying_filter = False
        self._settled_filter: RecommendationFilter | None = None  # the last filter in the history (or at start)
        self._filter_settle = QTimer(self, singleShot=True, interval=FILTER_SETTLE_MS)
        self._filter_settle.timeout.connect(self._record_filter)
        self._replaying = False
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"Xref Explorer — {library.path.name}")
        self.setWindowIcon(icon("app"))
        use_palette(QApplication.palette())
        self.setStyleSheet(style_sheet(colours()))
        self.actions_ = ActionRegistry(self)
        self._build()
        self._wire()
        self._build_sharing()
        self._build_overview()
        self._counts = self.gateway.library_counts()
        self._show_library_counts()
        self.resize(1440, 900)
        self._default_layout_pending = True
        self._restore()
        self._opening = False
        self._settled_filter = self.table_filter()
        self._load_report(None)
        self._apply_role()
        self._update_actions()

    def _apply_role(self) -> None:
        """In a shared library, disable what the connected role may not do, and say why."""
        can = self.abilities = self.gateway.abilities()
        if not can.annotate:
            reason = can.why_not("annotate")
            for name in (
                "add_to_collection",
                "add_to_briefing",
                "tag",
                "link_to",
                "toggle_priority",
                "edit_note",
                "new_collection",
                "new_tag",
            ):
                self.actions_.restrict(name, reason)
            panel = self.annotations.panel
            panel.read_only_reason = reason
            panel.setToolTip(reason)
            panel.setEnabled(False)
            self.annotations.sidebar.setToolTip(reason)
        if not can.maintain:
            self.actions_.restrict("import", can.why_not("import reports"))  # and dropped files (`_drop_refusal`)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        gateway = self.gateway
        self.tree_model = DraggableSectionTreeModel(
            gateway.section_tree(), gateway.recommendation_rows, self, load_children=gateway.document_tree
        )
        self.tree = QTreeView(self)
        self.tree.setObjectName("sectionTree")
        self.tree.setAccessibleName("Contents of the reports: sections, recommendations and paragraphs")
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self.tree.header().resizeSection(1, 36)
        self._expand_documents()

        self.filter_bar = FilterBar(
            gateway.topics(), gateway.speakers(), gateway.origins(), gateway.documents(), self, mentions=gateway.mention_options()
        )
        self.table_model = RecommendationTableModel(gateway, parent=self)
        self.filtering = FilterScheduler(gateway, self.worker, lambda: self.table_model.sort_key, self)
        self.table = RecommendationTableView(self.table_model, self)
        self.panel = RecommendationPanel(self.table, self)
        self.detail = DetailPane(self)
        self.reader = ReportReader(self)
        self.annotations = AnnotationController(
            self.library,
            actions=self.actions_,
            table=self.table,
            tree=self.tree,
            detail=self.detail,
            reader=self.reader,
            corpus=gateway,
            parent=self,
        )

        table_area = QWidget(self)
        table_area.setObjectName("tableArea")
        layout = QVBoxLayout(table_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.panel, 1)
        detail_area = QWidget(self)
        detail_area.setObjectName("detailArea")
        detail_layout = QVBoxLayout(detail_area)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(4)
        # No title above the details: their heading names what they show ("Recommendation 18", a speaker),
        # and the line it would take is the first remark's.
        detail_layout.addWidget(self.detail, 1)  # the recommendation and the remarks behind it come first
        detail_layout.addWidget(self.annotations.panel)  # then the delegate's marks: one row and the note

        self.center_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.center_splitter.setObjectName("centerSplitter")
        self.center_splitter.addWidget(table_area)
        self.center_splitter.addWidget(detail_area)
        self.center_splitter.setStretchFactor(0, 1)
        self.center_splitter.setStretchFactor(1, 1)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("mainSplitter")
        self.left_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.left_splitter.setObjectName("leftSplitter")
        self.left_splitter.addWidget(self.tree)
        self.left_splitter.addWidget(self.annotations.sidebar)
        self.main_splitter.addWidget(self.left_splitter)
        self.main_splitter.addWidget(self.center_splitter)
        self.main_splitter.addWidget(self.reader)
        self.main_splitter.setStretchFactor(1, 1)
        for number in range(3):
            self.main_splitter.setCollapsible(number, False)
        central = QWidget(self)
        central.setObjectName("centralArea")
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(8, 4, 8, 4)
        if self.library.read_only:
            central_layout.addWidget(ReadOnlyBanner(self.library.read_only, self))
        central_layout.addWidget(self.main_splitter)
        self.setCentralWidget(central)

        toolbar = QToolBar("Navigation", self)
        toolbar.setObjectName("navigationToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for name in ("back", "forward"):
            toolbar.addAction(self.actions_[name])
        toolbar.addSeparator()
        toolbar.addAction(self.actions_["show_weaker"])
        toolbar.addSeparator()
        toolbar.addWidget(self.filter_bar.controls)  # the search and the lists, the whole width of the window
        self.addToolBar(toolbar)
        bar = self.filter_bar  # Tab: the contents, the search and the lists, then the topics and the table
        previous = self.tree
        for control in (bar.search, bar.speaker, bar.origin, bar.mention, bar.document, bar.clear_button):
            QWidget.setTabOrder(previous, control)
            previous = control
        self.menus = self.actions_.build_menus(self.menuBar())
        self.file_menu = self.menus["File"]
        self.panes = {"toggle_sidebar": self.left_splitter, "toggle_details": detail_area, "toggle_reader": self.reader}

        self.status_counts = QLabel(self)
        self.status_counts.setObjectName("libraryCounts")
        # "47 shown · 2 selected" sits where messages show: a message covers it for its time, and it
        # comes back after, so no message is overwritten by a change of selection
        self.selection_count = QLabel(self)
        self.selection_count.setObjectName("selectionCount")
        self.statusBar().addWidget(self.selection_count)
        self.statusBar().addWidget(self.annotations.notice)
        self.statusBar().addPermanentWidget(self.status_counts)

    def _wire(self) -> None:
        a = self.actions_
        a["focus_search"].triggered.connect(self.filter_bar.focus_search)
        a["clear_filters"].triggered.connect(self.clear_filters)
        a["back"].triggered.connect(self.go_back)
        a["forward"].triggered.connect(self.go_forward)
        a["show_weaker"].toggled.connect(self.detail.set_show_weaker)
        a["focus_table"].triggered.connect(lambda: self.table.setFocus(Qt.FocusReason.ShortcutFocusReason))
        a["focus_detail"].triggered.connect(lambda: self.detail.setFocus(Qt.FocusReason.ShortcutFocusReason))
        a["focus_reader"].triggered.connect(lambda: self.reader.browser.setFocus(Qt.FocusReason.ShortcutFocusReason))
        a["focus_tree"].triggered.connect(lambda: self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason))
        a["quit"].triggered.connect(self.close)
        a["copy"].triggered.connect(self.copy)
        for name, pane in self.panes.items():
            a[name].setChecked(True)
            a[name].toggled.connect(pane.setVisible)
        a["toggle_reader"].toggled.connect(self._reader_toggled)
        a["next_pane"].triggered.connect(lambda: self.cycle_panes(1))
        a["previous_pane"].triggered.connect(lambda: self.cycle_panes(-1))
        a["help_links"].triggered.connect(lambda: self._show_dialog(help_views.links_dialog(self, readme_section(LINKS_SECTION))))
        a["help_shortcuts"].triggered.connect(
            lambda: self._show_dialog(
                help_views.shortcuts_dialog(self, self.actions_.shortcut_rows() + self.annotations.sidebar.shortcut_rows())
            )
        )
        a["about"].triggered.connect(
            lambda: self._show_dialog(
                help_views.about_dialog(self, str(self.library.path), [d.title for d in self.gateway.documents()])
            )
        )
        a.set_rule("back", self.history.can_go_back)
        a.set_rule("forward", self.history.can_go_forward)
        self.detail.weakerToggled.connect(a["show_weaker"].setChecked)
        self.filter_bar.changed.connect(self.apply_filter)
        self.filtering.shown.connect(self._show_filtered)
        self.filtering.topicCounts.connect(self.filter_bar.show_topic_counts)
        self.filtering.refused.connect(self._search_refused)
        self.panel.clearRequested.connect(self.clear_filters)
        self.filter_bar.clear_button.clicked.disconnect()
        self.filter_bar.clear_button.clicked.connect(self.clear_filters)
        self.filter_bar.active.removed.connect(self.remove_filter_part)
        self.filter_bar.active.emptiedFromFocus.connect(lambda: self.table.setFocus(Qt.FocusReason.OtherFocusReason))
        self.table.selectionModel().currentRowChanged.connect(self._table_current_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selection_status())
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.detail.remarkActivated.connect(lambda pid, _rid, start, end: self.navigate(Location("paragraph", (pid, start, end))))
        self.detail.speakerActivated.connect(lambda label: self.navigate(Location("speaker", (label,))))
        self.detail.originActivated.connect(lambda kind, name: self.navigate(Location("origin", (kind, name))))
        self.detail.recommendationActivated.connect(self.show_recommendation)
        self.detail.mentionActivated.connect(self.filter_bar.set_mention)
        self.reader.recommendationActivated.connect(self.show_recommendation)
        self.annotations.wire()
        self.annotations.statusMessage.connect(self.statusBar().showMessage)
        self.annotations.recommendationRequested.connect(self.show_recommendation)
        self.annotations.filterChanged.connect(self.apply_filter)
        self.annotations.libraryChanged.connect(self.refresh_library)
        if self.annotations.live is not None:
            self.statusBar().addPermanentWidget(self.annotations.live.status)

    def _show_dialog(self, dialog: QWidget) -> QWidget:
        dialog.show()
        return dialog

    def copy(self) -> None:
        """Copy the text selected in the focused text pane, else the selected recommendations as a table."""
        focus = QApplication.focusWidget()
        text_selected = isinstance(focus, (QTextEdit, QPlainTextEdit)) and focus.textCursor().hasSelection()
        if text_selected or (isinstance(focus, QLineEdit) and focus.hasSelectedText()):
            focus.copy()
        elif isinstance(focus, QAbstractItemView) and focus is not self.table and callable(getattr(focus, "copy", None)):
            focus.copy()  # a view that copies itself (the Overview's charts)
        else:
            self.table.copy_selection()

    def focus_panes(self) -> list[QWidget]:
        """The panes F6 moves between, in reading order, those shown only."""
        panes = [
            self.tree,
            self.annotations.sidebar.view,
            self.filter_bar.search,
            self.table,
            self.detail,
            self.annotations.panel.note,
            self.reader.browser,
        ]
        return [pane for pane in panes if pane.isVisibleTo(self)]

    def _reader_toggled(self, shown: bool) -> None:
        """The reader comes back at about a quarter of the width, taken from the table and details."""
        if not shown:
            return
        sizes = self.main_splitter.sizes()
        if sizes[2] < READER_MIN_WIDTH:
            wanted = max(READER_MIN_WIDTH, int(sum(sizes) * READER_SHARE))
            self.main_splitter.setSizes([sizes[0], max(sizes[1] - wanted, 300), wanted])

    def cycle_panes(self, step: int) -> None:
        """F6 / Shift+F6: the keyboard focus to the next (previous) pane."""
        panes = self.focus_panes()
        if not panes:
            return
        focus = QApplication.focusWidget()
        current = next(
            (n for n, pane in enumerate(panes) if focus is not None and (focus is pane or pane.isAncestorOf(focus))),
            -1 if step > 0 else 0,
        )
        panes[(current + step) % len(panes)].setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ------------------------------------------------------------------ filtering

    def _expand_documents(self) -> None:
        """Open each document's chapters, unless there are so many documents that they load on demand."""
        if self.tree_model.rowCount() <= EAGER_TREE_DOCUMENTS:
            self.tree.expandToDepth(0)

    def table_filter(self) -> RecommendationFilter:
        """What the table shows: the filter bar's choices and the annotation sidebar's."""
        return replace(self.filter_bar.filter(), **self.annotations.sidebar.annotation_filter())

    def apply_filter(self, *, wait: bool = False) -> None:
        """Show what the filters ask for. The query runs on the worker: typing never waits for it.

        The window's first filters (while it opens) and ``wait`` run at once instead.
        """
        at_once = wait or self._opening or not self.table_model.loaded
        f = self.table_filter()
        if not self._opening and not self._replaying_filter:
            self._filter_settle.start()  # a filter kept for a moment becomes a step of Back/Forward
        self.filter_bar.active.show_parts(self.gateway.describe_filter(f))
        self._tree_follows_scope(f.section_id)
        self.filtering.request(f, at_once=at_once)

    def _tree_follows_scope(self, section_id: int | None) -> None:
        """A section chosen in the contents tree stays chosen only while it scopes the table. Once its
        scope goes (Clear, its chip's ✕, Back), the tree lets it go too, so choosing it again scopes
        the table again."""
        current = self.tree.currentIndex()
        if current.data(KindRole) in ("chapter", "section") and current.data(IdRole) != section_id:
            self.tree.selectionModel().clear()

    def _record_filter(self) -> None:
        """The filters held still for a moment: Back will return to the ones before them."""
        f = self.table_filter()
        if f == self._settled_filter:
            return
        previous, self._settled_filter = self._settled_filter, f
        current = self.history.current
        if previous is not None and (current is None or current != Location("filter", (previous,))):
            self.history.visit(Location("filter", (previous,)))
        self.history.visit(Location("filter", (f,)))
        self._update_actions()

    def _replay_filter(self, f: RecommendationFilter) -> None:
        """Show the filters of a Back/Forward step (the bar's and the sidebar's), without recording them."""
        self._replaying_filter = True
        try:
            self._settled_filter = f
            self.annotations.sidebar.set_annotation_filter(f)
            bar = RecommendationFilter(
                text=f.text,
                topics=f.topics,
                speaker=f.speaker,
                state=f.state,
                group=f.group,
                mention=f.mention,
                document_id=f.document_id,
                section_id=f.section_id,
            )
            if bar != self.filter_bar.filter():
                self.filter_bar.set_filter(bar)  # emits changed: applied
            else:
                self.apply_filter()
        finally:
            self._replaying_filter = False

    def remove_filter_part(self, part: FilterPart) -> None:
        """A filter chip's ✕: the control that set the restriction drops it."""
        if not self.filter_bar.remove_part(part):
            self.annotations.sidebar.clear_filter(part.field)
            self.apply_filter()

    def clear_filters(self) -> None:
        """Every restriction goes: the filter bar's and the sidebar's scope."""
        self.annotations.sidebar.clear_filter()
        self.filter_bar.clear()

    @property
    def filter_settled(self) -> bool:
        """No filter query is running or waiting: the table shows every match of the newest filter."""
        return self.filtering.settled

    def _search_refused(self, f: RecommendationFilter, message: str) -> None:
        """The search cannot read the query, or its query was stopped at the time limit: say so in the
        bar, and in the empty state if it is shown. The table keeps its rows (the first screen of ``f``'s
        matches, when they came before the full list was stopped)."""
        if self.table_model.current_filter == f:
            self.filter_bar.show_result(self.table_model.rowCount(), self._counts.recommendations, complete=False, counting=False)
        self.filter_bar.show_message(message)
        if self.panel.is_empty_shown():
            self.panel.show_empty(self.gateway.describe_filter(f), message)

    def _show_filtered(self, f: RecommendationFilter, ids: list[int], complete: bool = True) -> None:
        current = self._current_table_id()
        self.table_model.show_ids(f, ids)
        matches = self.table_model.rowCount()
        self.filter_bar.show_result(matches, self._counts.recommendations, complete=complete or not matches)
        if f.text.strip() and searched_as_plain_words(f.text):
            self.filter_bar.show_message(
                f'Searched “{f.text.strip()}” as plain words: it is not valid search syntax ("phrases", prefix*, OR, NOT).'
            )
        if matches == 0:
            self.panel.show_empty(self.gateway.describe_filter(f))
        else:
            self.panel.show_table()
            row = self.table_model.row_of(current) if current is not None else None
            if row is not None:
                self._select_row(row)
        self._show_selection_status()
        self.filterApplied.emit(complete)

    def _current_table_id(self) -> int | None:
        """The recommendation in the details (kept selected when the table is filtered again)."""
        detail = self.detail.detail
        return detail.id if detail is not None else None

    def _select_row(self, row: int) -> None:
        index = self.table_model.index(row, 0)
        self._replaying, replaying = True, self._replaying
        try:
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            self.table.scrollTo(index, self.table.ScrollHint.PositionAtCenter)
        finally:
            self._replaying = replaying

    # ------------------------------------------------------------------ navigation

    def show_recommendation(self, recommendation_id: int) -> None:
        top = self.gateway.top_level_id(recommendation_id)
        if top is not None:
            self.navigate(Location("recommendation", (top,)))

    def navigate(self, location: Location, record: bool = True) -> None:
        """Show ``location`` in the details (or the reader). A library that cannot be read just now (a
        shared library's server out of reach) leaves the details as they were, the table's selection
        back on what they show, and one line in the status bar."""
        try:
            self._navigate(location, record)
        except LibraryError as error:
            shown = self.detail.detail
            row = self.table_model.row_of(shown.id) if shown is not None else None
            if row is not None and self._current_table_id_in_view() != shown.id:
                self._select_row(row)  # the note editor and the marks still belong to it
            self.statusBar().showMessage(str(error), 8000)

    def _navigate(self, location: Location, record: bool) -> None:
        if location.kind == "recommendation":
            detail = self.gateway.recommendation_detail(location.key[0])
            if detail is None:
                return
            self.detail.show_recommendation(detail, recurrences=self.gateway.recurrences(detail.id))
            self.annotations.show(detail)
            row = self.table_model.row_of(detail.id)
            if row is not None and self._current_table_id_in_view() != detail.id:
                self._select_row(row)
        elif location.kind == "paragraph":
            paragraph_id, start, end = location.key
            if not self.reader.isVisibleTo(self):
                self.actions_["toggle_reader"].setChecked(True)  # a paragraph asked for: the reader opens
            self._load_report(paragraph_id)
            self.reader.open_paragraph(paragraph_id, (start, end) if end > start else None)
        elif location.kind == "speaker":
            label = location.key[0]
            lines = self.gateway.remarks_by_speaker(label)
            first = lines[0].speaker if lines else None
            subtitle = " · ".join(p for p in (first.function, first.state, first.group) if p) if first else ""
            self.detail.show_remark_lines(label, subtitle, lines)
            self.annotations.show_none()
        elif location.kind == "filter":
            self._replay_filter(location.key[0])
        elif location.kind == "origin":
            kind, name = location.key
            lines = self.gateway.remarks_by_origin(kind, name)
            subtitle = "Remarks by its speakers" + (" or on its behalf" if kind == "state" else "")
            self.detail.show_remark_lines(name, subtitle, lines)
            self.annotations.show_none()
        if record:
            self.history.visit(location)
        self._update_actions()

    def _current_table_id_in_view(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return self.table_model.id_at(index.row()) if index.isValid() else None

    def go_back(self) -> None:
        location = self.history.back()
        if location is not None:
            self.navigate(location, record=False)

    def go_forward(self) -> None:
        location = self.history.forward()
        if location is not None:
            self.navigate(location, record=False)

    def _update_actions(self) -> None:
        self.actions_.update_enabled()

    def _table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._replaying or not current.isValid():
            return
        self.navigate(Location("recommendation", (self.table_model.id_at(current.row()),)))

    def _tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        kind, ref = current.data(KindRole), current.data(IdRole)
        if kind in ("chapter", "section"):
            self.filter_bar.set_scope(ref)
        elif kind == "doc":
            self.filter_bar.set_scope(None)
        elif kind == "recommendation":
            self.show_recommendation(ref)
        elif kind == "paragraph":
            self.navigate(Location("paragraph", (ref, 0, 0)))

    def _load_report(self, paragraph_id: int | None) -> None:
        """Load the document of ``paragraph_id`` (None: the first) into the reader, off the GUI thread."""
        document_id = self.gateway.paragraph_document(paragraph_id) if paragraph_id is not None else None
        if document_id is None:
            documents = self.gateway.documents()
            if not documents:
                return
            document_id = documents[0].id
        if getattr(self, "_report_document", None) == document_id:
            return
        self._report_document = document_id
        self.worker.submit(
            lambda: self.gateway.report_view(document_id),
            self._report_loaded,
            lambda message: self.statusBar().showMessage(f"Could not load the report: {message}", 15000),
        )

    def _report_loaded(self, report: object) -> None:
        if report is not None:
            self.reader.set_report(report)

    # ------------------------------------------------------------------ export, print, import

    def _build_sharing(self) -> None:
        a = self.actions_
        self.export_flow = ExportFlow(
            self,
            self.gateway,
            self.worker,
            selected_ids=self._selected_ids,
            table_ids=self.table_model.ids,
            table_filter=self.table_filter,
        )
        self.import_flow = ImportFlow(self, self.gateway, self.worker, self.refresh_library)
        a["import"].triggered.connect(self.import_flow.choose_files)
        a["export"].triggered.connect(lambda: self.open_export_dialog())
        a["export_selection"].triggered.connect(lambda: self.open_export_dialog("selection"))
        self.annotations.sidebar.exportRequested.connect(lambda cid: self.open_export_dialog("collection", cid))
        a["print"].triggered.connect(self.print_briefing)
        a["save_pdf"].triggered.connect(lambda: self.save_pdf())
        shared_library.install(self)
        self.table.addAction(a["export_selection"])
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setAcceptDrops(not self.library.read_only)
        a.set_rule("import", lambda: not self.library.read_only)

    def _selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.table_model.id_at(row) for row in rows]

    def open_export_dialog(self, scope: str = "selection", collection_id: int | None = None) -> QWidget:
        """The export dialog on ``scope`` ("selection", "filter" or "collection" with ``collection_id``)."""
        return self.export_flow.open_dialog(scope, collection_id)

    def print_briefing(self) -> None:
        self.export_flow.briefing(lambda briefing: printing.print_briefing(self, briefing))

    def save_pdf(self, path: str | None = None) -> None:
        """Save the briefing Print would print as a PDF at ``path`` (None: ask for a file)."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save as PDF", str(last_folder("pdf")), "PDF files (*.pdf)")
            if not path:
                return
            remember_folder("pdf", path)
            if not path.lower().endswith(".pdf"):
                path += ".pdf"

        def write(briefing: Briefing) -> None:
            written = printing.save_pdf(briefing, path)
            self.export_flow.show_written(f"Saved {written.name}", written)

        self.export_flow.briefing(write)

    def refresh_library(self, result: ImportResult | None = None) -> None:
        """After an import: the tree, the document filter, the counts, the table and the details."""
        self.tree_model.set_nodes(self.gateway.section_tree())
        self._expand_documents()
        self.filter_bar.set_documents(self.gateway.documents())
        self.filter_bar.topics.show_topics_in_library(self.gateway.topics())
        self.filter_bar.set_mentions(self.gateway.mention_options())
        self.filtering.forget_counts()
        self.gateway.forget_descriptions()
        self.overview_gateway.forget()
        self._counts = self.gateway.library_counts()
        self._show_library_counts()
        if result is not None and any(report.replaced for report in result.imported):
            self._report_document = None  # its paragraphs were replaced
            self._load_report(None)
        self.apply_filter(wait=True)
        if self.detail.detail is not None:
            self.navigate(Location("recommendation", (self.detail.detail.id,)), record=False)

    def _drop_refusal(self) -> str:
        """Why report files dropped here cannot be imported ("" when they can): File › Import's tooltip."""
        return "" if self.abilities.maintain else self.abilities.why_not("import reports")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not report_paths(event.mimeData()):
            super().dragEnterEvent(event)
        elif refusal := self._drop_refusal():  # refused before anything is read, saying why
            self.statusBar().showMessage(refusal, 10000)
            event.ignore()
        else:
            self.import_flow.prepare()
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if not report_paths(event.mimeData()):
            super().dragMoveEvent(event)
        elif self._drop_refusal():
            event.ignore()
        else:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = report_paths(event.mimeData())
        if not paths:
            super().dropEvent(event)
        elif refusal := self._drop_refusal():
            self.statusBar().showMessage(refusal, 10000)
            event.ignore()
        else:
            event.acceptProposedAction()
            self.import_flow.import_files(paths)

    # ------------------------------------------------------------------ overview

    def _build_overview(self) -> None:
        """The Overview dock: counts for what the table lists, refreshed with each filter while shown."""
        self.overview_gateway = OverviewGateway(self.library)
        self.overview = OverviewView(self)
        self.overview_dock = QDockWidget("Overview", self)
        self.overview_dock.setObjectName("overviewDock")
        self.overview_dock.setAccessibleName("Overview")
        self.overview_dock.setWidget(self.overview)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.overview_dock)
        self.overview_dock.hide()
        action = self.actions_["overview"]
        action.toggled.connect(self.show_overview)
        self.overview_dock.visibilityChanged.connect(self._overview_visibility)
        self._overview_loading = False
        self.filterApplied.connect(lambda complete: self._filter_applied_for_overview() if complete else None)
        self.overview.cellChosen.connect(self.filter_by_overview_cell)
        self.overview.recommendationChosen.connect(self.show_recommendation)

    def show_overview(self, visible: bool = True) -> None:
        if visible and not self.overview_dock.isVisible():
            self.overview_dock.show()
            self.resizeDocks([self.overview_dock], [int(self.height() * 0.45)], Qt.Orientation.Vertical)
        elif not visible:
            self.overview_dock.hide()

    def _overview_visibility(self, visible: bool) -> None:
        """The dock shown or closed (by the action or its own buttons): the action follows; shown, it counts."""
        self.actions_["overview"].setChecked(visible)
        if visible:
            self.refresh_overview()

    def _filter_applied_for_overview(self) -> None:
        """The table holds all its matches: the Overview follows, or (hidden) its facts are read at idle time."""
        if self.isVisible():  # while the window is built, its first paint comes first (`showEvent`)
            self.prefetch_overview()
        self.refresh_overview()

    def prefetch_overview(self) -> None:
        """Read the Overview's facts and the whole library's counts on the worker, unless read or being read.

        Done once the window's first filter has listed everything (start-up idle time) and again after an
        import, so that opening the Overview only shows what is counted already.
        """
        if self.overview_gateway.ready or self._overview_loading:
            return
        self._overview_loading = True

        def failed(message: str) -> None:
            self._overview_loading = False
            self.statusBar().showMessage(f"Could not count: {message}", 15000)

        def loaded(_none: object) -> None:
            self._overview_loading = False
            self.refresh_overview()

        self.worker.submit(self.overview_gateway.load, loaded, failed)

    def refresh_overview(self) -> None:
        """Count what the table lists; until the corpus facts are read (on the worker), say so and wait."""
        if not self.overview_dock.isVisible():
            return
        if self.overview_gateway.ready:
            self.overview.show_overview(self.overview_gateway.overview(self.table_model.ids()))
            return
        self.overview.summary.setText("Counting…")
        self.prefetch_overview()

    def filter_by_overview_cell(self, kind: str, topic: object, column: object) -> None:
        """Set the table's filters to a cell's recommendations; Back returns to the filters before."""
        before = self.table_filter()
        f, _scope, exact = cell_filter(before, kind, topic.key, column, self.filter_bar.scope_label())
        self.history.visit(Location("filter", (before,)))
        self.navigate(Location("filter", (f,)))
        if not exact:
            self.statusBar().showMessage(f"{column.label} spans {len(column.ids)} reports: filtered by {topic.label} only", 6000)

    # ------------------------------------------------------------------ status and settings

    def _show_library_counts(self) -> None:
        c = self._counts
        reports = f"{c.documents} report{'s' if c.documents != 1 else ''}"
        self.status_counts.setText(
            f"{reports} · {c.recommendations} recommendations ({c.sub_items} sub-items) · "
            f"{c.paragraphs} paragraphs · {c.remarks} remarks · {c.shown_links} links shown"
        )

    def _show_selection_status(self) -> None:
        selected = len(self.table.selectionModel().selectedRows())
        shown = self.table_model.rowCount()
        text = f"{shown} shown"
        if selected > 1:
            text += f" · {selected} selected"
        self.selection_count.setText(text)

    def _restore(self) -> None:
        store = stored.settings()
        if (geometry := stored.load_state(store, "geometry")) is not None:
            self.restoreGeometry(geometry)
        self._splitter_states = {
            name: state
            for name in ("mainSplitter", "centerSplitter", "leftSplitter")
            if (state := stored.load_state(store, name)) is not None
        }
        if (state := stored.load_state(store, "tableHeader")) is not None:
            self.table.restore_header(state, fill=store.value("table/textFills", True, type=bool))
        for name in self.panes:  # the reader opens when a paragraph is asked for, unless the delegate keeps it
            self.actions_[name].setChecked(store.value(f"panes/{name}", name != "toggle_reader", type=bool))
        f, scope = stored.load_filter(store)
        if f.section_id is not None and not self.tree_model.index_of(("section", f.section_id)).isValid():
            f = replace(f, section_id=None)
        self.actions_["show_weaker"].setChecked(store.value("detail/showWeaker", False, type=bool))
        self.filter_bar.set_filter(f, scope)  # emits changed: the table fills

    def save_settings(self) -> None:
        store = stored.settings()
        stored.save_state(store, "geometry", self.saveGeometry())
        stored.save_state(store, "mainSplitter", self.main_splitter.saveState())
        stored.save_state(store, "centerSplitter", self.center_splitter.saveState())
        stored.save_state(store, "leftSplitter", self.left_splitter.saveState())
        stored.save_state(store, "tableHeader", self.table.horizontalHeader().saveState())
        f = self.filter_bar.filter()
        stored.save_filter(store, f, self.filter_bar.scope_label())
        store.setValue("detail/showWeaker", self.detail.show_weaker)
        store.setValue("table/textFills", self.table.text_fills)
        for name in self.panes:
            store.setValue(f"panes/{name}", self.actions_[name].isChecked())
        store.sync()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._default_layout_pending:
            return
        self._default_layout_pending = False  # splitters are sized once the window has its real size
        self._after_first_paint = _AfterFirstPaint(self.table.viewport(), self.prefetch_overview)
        self.layout().activate()
        self.centralWidget().layout().activate()
        splitters = {
            "mainSplitter": self.main_splitter,
            "centerSplitter": self.center_splitter,
            "leftSplitter": self.left_splitter,
        }
        for name, state in self._splitter_states.items():
            splitters[name].restoreState(state)
        if not self._splitter_states:  # first run: proportions of the window's width
            width = max(self.width() - 20, 900)
            self.main_splitter.setSizes([int(width * 0.16), int(width * 0.62), int(width * READER_SHARE)])
            height = max(self.height() - 120, 500)
            self.center_splitter.setSizes([int(height * 0.49), int(height * 0.51)])
        if "leftSplitter" not in self._splitter_states:  # contents above, annotations below
            height = max(self.height() - 120, 500)
            self.left_splitter.setSizes([int(height * 0.5), int(height * 0.5)])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange) and not self._restyling:
            self.follow_palette()

    def follow_palette(self) -> None:
        """The system palette changed (dark mode on or off): every colour follows, the panes are drawn again."""
        self._restyling = True
        try:
            use_palette(QApplication.palette())
            self.setStyleSheet(style_sheet(colours()))
            self.filter_bar.apply_colours()
            self.detail.document().setDefaultStyleSheet(detail_css())
            if self.detail.detail is not None:
                self.detail.show_recommendation(self.detail.detail)
            if self.reader.report is not None:
                current = self.reader.current_paragraph
                self.reader.set_report(self.reader.report)
                if current is not None:
                    self.reader.open_paragraph(current)
            self.annotations.panel.show_annotations(
                self.annotations.ops.gateway.annotations(self.annotations.panel.key)
                if self.annotations.panel.key is not None
                else None
            )
            self.table.viewport().update()
            self.tree.viewport().update()
        finally:
            self._restyling = False

    def closeEvent(self, event: QCloseEvent) -> None:
        unsaved = self.annotations.flush_notes()  # a note typed a moment ago is saved, not lost
        if unsaved and annotation_dialogs.confirm_losing_notes(self, unsaved) == annotation_dialogs.KEEP_OPEN:
            event.ignore()
            return
        self.save_settings()
        self.annotations.stop()
        self.filtering.stop()
        self.worker.wait()
        # Every connection closed: SQLite folds its write-ahead log back into the file and removes
        # it, so the next start sees a library closed cleanly and skips the integrity check.
        self.library.close()
        super().closeEvent(event)
