"""FilterBar: the controls above the table that make a `RecommendationFilter`.

Search field (FTS5 syntax, applied as you type), topic toggles with live counts
(AND), speaker, State or regional group, a thing mentioned (instrument or article,
organisation, system, State), document, and the section scope set
from the tree. The bar only builds the filter and shows what it is told (match
count, topic counts, a calm message for a search it cannot read); the main window
runs the queries. `changed` fires once per user edit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.theme import colours, icon, topic_colours
from desktop.views.flow_layout import FlowLayout
from desktop.views.topic_delegate import short_label
from models.queries.corpus import DocumentRow, OriginRow, SpeakerRow, TopicRow
from models.queries.filters import FilterPart, RecommendationFilter, without_part
from models.queries.mentions import KIND_LABELS, MentionOption

CHIP_SPACING = 5  # pixels between topic chips


class TopicFilter(QWidget):
    """Checkable topic chips with counts; several checked topics combine with AND.

    Collapsed (at first), the chips take one line: the checked ones always, then the others in the
    lexicon's order as long as they fit, and "+N more" (`topicExpander`) shows every chip on as many
    lines as they need ("Fewer" folds them again). Chips are coloured as in the table (a colour key).
    """

    toggled = Signal()

    def __init__(self, topics: list[TopicRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topicFilter")
        self.setAccessibleName("Topics (several combine: recommendations tagged with all of them)")
        self._layout = FlowLayout(self, spacing=CHIP_SPACING)
        self.buttons: dict[str, QPushButton] = {}
        self._labels: dict[str, str] = {}
        self._positions: dict[str, int] = {}
        self._tooltips: dict[str, str] = {}  # each chip's own tooltip, before any note on its count
        self._in_library: set[str] = set()
        self._expanded = False
        for topic in topics:
            button = QPushButton(short_label(topic.label), self)
            button.setObjectName("topicChip")
            button.setProperty("topicKey", topic.key)
            button.setCheckable(True)
            self._tooltips[topic.key] = f"{topic.label}\n{topic.description}"
            button.setToolTip(self._tooltips[topic.key])
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.toggled.connect(lambda on, button=button: self._embolden(button, on))
            button.toggled.connect(self.toggled)
            button.toggled.connect(self._fit)
            self._layout.addWidget(button)
            self.buttons[topic.key] = button
            self._labels[topic.key] = short_label(topic.label)
            self._positions[topic.key] = topic.position
        self.expander = QToolButton(self)
        self.expander.setObjectName("topicExpander")
        self.expander.setCursor(Qt.CursorShape.PointingHandCursor)
        self.expander.clicked.connect(lambda: self.set_expanded(not self._expanded))
        self._layout.addWidget(self.expander)
        self.show_topics_in_library(topics)
        self.apply_colours()

    @staticmethod
    def _embolden(button: QPushButton, on: bool) -> None:
        """A checked chip's text is bold. Set on its font, not in the style sheet, so that its size
        hint (and so the room the chips are given) is measured in the font it is drawn in."""
        font = button.font()
        font.setBold(on)
        button.setFont(font)

    def show_topics_in_library(self, topics: list[TopicRow]) -> None:
        """Only topics that some recommendation of the library carries take room (a lexicon for other
        working groups adds none to a library without their reports); a checked one always shows."""
        self._in_library = {topic.key for topic in topics if topic.in_library}
        self._fit()

    def is_expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        """Every chip on as many lines as needed (True), or one line of them and "+N more" (False)."""
        self._expanded = expanded
        self._fit()

    def offered(self) -> list[str]:
        """The topics offered as chips, shown or folded away: those of the library and the checked ones."""
        return [key for key, button in self.buttons.items() if key in self._in_library or button.isChecked()]

    def _fit(self) -> None:
        """Show the chips the state asks for: all of them, or those that fit on one line (checked ones first)."""
        offered = self.offered()
        shown = set(offered)
        if not self._expanded:
            width = max(self.width(), 1)
            needs = {key: self.buttons[key].sizeHint().width() + CHIP_SPACING for key in offered}
            self.expander.setText(f"+{len(offered)} more ▾")  # its widest text, while it is measured
            room = width - self.expander.sizeHint().width() - CHIP_SPACING
            if sum(needs.values()) <= width + CHIP_SPACING:
                room = width  # all of them fit without the expander
            shown = {key for key in offered if self.buttons[key].isChecked()}
            used = sum(needs[key] for key in shown)
            for key in offered:
                if key in shown:
                    continue
                if used + needs[key] > room:
                    break
                used += needs[key]
                shown.add(key)
        folded = len(offered) - len(shown)
        for key, button in self.buttons.items():
            button.setVisible(key in shown)
        self.expander.setText("Fewer ▴" if self._expanded else f"+{folded} more ▾")
        self.expander.setToolTip("Show the topics on one line" if self._expanded else f"Show all {len(offered)} topics")
        self.expander.setAccessibleName(self.expander.toolTip())
        self.expander.setVisible(self._expanded or folded > 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._expanded and event.size().width() != event.oldSize().width():
            self._fit()

    def apply_colours(self) -> None:
        """Each chip in its topic's colour, as in the table and the details (a colour key); checked: framed
        (the window's style sheet, `desktop.theme.style_sheet`)."""
        for key, button in self.buttons.items():
            background, text = topic_colours(self._positions[key])
            button.setStyleSheet(f"QPushButton#topicChip {{ background: {background.name()}; color: {text.name()}; }}")

    def checked(self) -> frozenset[str]:
        return frozenset(key for key, button in self.buttons.items() if button.isChecked())

    def set_checked(self, keys: frozenset[str]) -> None:
        for key, button in self.buttons.items():
            button.blockSignals(True)
            button.setChecked(key in keys)
            button.blockSignals(False)
            self._embolden(button, key in keys)
        self._fit()

    def counts_pending(self) -> None:
        """The matches changed and their topic counts are on their way: keep every toggle usable meanwhile."""
        for button in self.buttons.values():
            button.setEnabled(True)

    def set_counts(self, counts: dict[str, int] | None) -> None:
        """Each chip with the number of matches carrying its topic; None: counting was stopped, so
        the chips show no number (an old one would mislead) and say why in their tooltip."""
        for key, button in self.buttons.items():
            state = "on" if button.isChecked() else "off"
            tooltip = self._tooltips[key]
            if counts is None:
                button.setText(self._labels[key])
                button.setEnabled(True)
                button.setAccessibleName(f"Topic {self._labels[key]}, count not available, {state}")
                button.setToolTip(f"{tooltip}\n\n{COUNT_STOPPED_NOTE}")
                continue
            count = counts.get(key, 0)
            button.setText(f"{self._labels[key]}  {count}")
            button.setEnabled(count > 0 or button.isChecked())
            button.setAccessibleName(f"Topic {self._labels[key]}, {count} matching, {state}")
            button.setToolTip(tooltip)
        self._fit()  # the counts change the chips' widths


COUNT_STOPPED_NOTE = "Counting the matches took too long and was stopped; the numbers come back with the next filter."
CHIP_TYPING_DELAY_MS = 150  # the search chip's text waits for a pause in typing (a keystroke never relays the bar)
BAR_FIELDS = frozenset({"text", "topics", "speaker", "state", "group", "mention", "document_id", "section_id"})


class ActiveFilters(QWidget):
    """Every restriction on the table as a removable chip ("Topic: Gender ✕"), whoever set it."""

    removed = Signal(object)  # the FilterPart whose chip was clicked
    emptiedFromFocus = Signal()  # the last chip went while it had the keyboard focus

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activeFilters")
        self.setAccessibleName("Active filters: each one removable")
        self._layout = FlowLayout(self, spacing=4)
        self.parts: list[FilterPart] = []
        self._typed: list[FilterPart] = []
        self._typing = QTimer(self, singleShot=True, interval=CHIP_TYPING_DELAY_MS)
        self._typing.timeout.connect(self._show_typed)
        self.setMinimumHeight(self.fontMetrics().height() + 12)  # a chip's height, shown or not

    def _show_typed(self) -> None:
        """Typing paused: the search chip shows the text typed (the chips stay, only a label changes)."""
        parts, self._typed = self._typed, []
        for chip, part in zip(self.chips(), parts, strict=True):
            self._label(chip, part)
        self.parts = parts

    def show_parts(self, parts: list[FilterPart]) -> None:
        """Show ``parts``; chips of the same restrictions are kept and only their text changes (typing costs
        a label, not a relayout of the bar)."""
        if parts == self.parts:
            self._typing.stop()  # back to what is shown: nothing pending
            return
        chips = self.chips()
        same_shape = [p.field for p in parts] == [p.field for p in self.parts]
        if same_shape and [p for p in parts if p.field != "text"] == [p for p in self.parts if p.field != "text"]:
            self._typed = list(parts)  # only the search text changed: its chip follows once typing pauses
            self._typing.start()
            return
        self._typing.stop()
        self.parts = list(parts)
        if not same_shape:
            focused = next((n for n, chip in enumerate(chips) if chip.hasFocus()), None)
            while (item := self._layout.takeAt(0)) is not None:
                item.widget().hide()  # gone at once, deleted once the event loop runs
                item.widget().deleteLater()
            chips = []
            for _part in parts:
                chip = QToolButton(self)
                chip.setObjectName("filterChip")
                chip.setCursor(Qt.CursorShape.PointingHandCursor)
                chip.clicked.connect(lambda _checked=False, c=chip: self.removed.emit(c.property("filterPart")))
                self._layout.addWidget(chip)
                chips.append(chip)
            if focused is not None:  # removed from the keyboard: the focus stays among the chips
                if chips:
                    target = chips[min(focused, len(chips) - 1)]
                    target.show()  # a new child is shown once the event loop runs; focus needs it now
                    target.setFocus(Qt.FocusReason.OtherFocusReason)
                else:
                    self.emptiedFromFocus.emit()
        for chip, part in zip(chips, parts, strict=True):
            self._label(chip, part)

    @staticmethod
    def _label(chip: QToolButton, part: FilterPart) -> None:
        value = part.value if len(part.value) <= 48 else part.value[:47] + "…"
        chip.setProperty("filterField", part.field)
        chip.setProperty("filterPart", part)
        chip.setText(f"{part.label}: {value}  ✕")
        chip.setToolTip(f"{part.line()}\nClick to remove this filter")
        chip.setAccessibleName(f"Remove filter {part.line()}")

    def chips(self) -> list[QToolButton]:
        return [self._layout.itemAt(n).widget() for n in range(self._layout.count())]


class FilterBar(QWidget):
    changed = Signal()

    def __init__(
        self,
        topics: list[TopicRow],
        speakers: list[SpeakerRow],
        origins: list[OriginRow],
        documents: list[DocumentRow],
        parent: QWidget | None = None,
        *,
        mentions: Sequence[MentionOption] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self._section_id: int | None = None
        self._scope_label = ""

        self.search = QLineEdit(self)
        self.search.setObjectName("searchField")
        self.search.setAccessibleName("Search recommendations")
        self.search.setPlaceholderText('Search: words, "exact phrase", prefix*, OR, NOT   (Ctrl+F)')
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumWidth(170)
        self.search.textChanged.connect(self.changed)
        # Esc clears the search field only (the other filters stay; Clear All removes them)
        self.search.installEventFilter(self)

        self.speaker = self._combo("speakerFilter", "Filter by speaker", "Any speaker")
        for row in speakers:
            detail = ", ".join(part for part in (row.state, row.function) if part)
            self.speaker.addItem(row.label, row.label)
            self.speaker.setItemData(self.speaker.count() - 1, detail, Qt.ItemDataRole.ToolTipRole)
        self.origin = self._combo("originFilter", "Filter by State or regional group", "Any State or group")
        for row in origins:
            self.origin.addItem(row.name, (row.kind, row.name))
        if any(row.kind == "group" for row in origins):
            first_group = 1 + next(i for i, row in enumerate(origins) if row.kind == "group")
            self.origin.insertSeparator(first_group)
        self.mention = self._combo("mentionFilter", "Filter by mention (instrument, organisation, system, State)", "Any mention")
        self.set_mentions(mentions)
        self.document = self._combo("documentFilter", "Filter by document or group of reports", "All documents")
        self._document_groups = _add_documents(self.document, documents)

        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setIcon(icon("clear"))
        self.clear_button.setText("Clear")
        self.clear_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.clear_button.setAccessibleName("Clear all filters")
        self.clear_button.setToolTip("Remove the search and every filter (Ctrl+Shift+Backspace)")
        self.clear_button.clicked.connect(self.clear)

        self.topics = TopicFilter(topics, self)
        self.topics.toggled.connect(self.changed)

        self.active = ActiveFilters(self)
        self.count = QLabel(self)
        self.count.setObjectName("matchCount")
        self.count.setAccessibleName("Number of matching recommendations")
        self.message = QLabel(self)
        self.message.setObjectName("searchMessage")
        self.message.setAccessibleName("Search message")
        self.message.setWordWrap(True)
        self.message.hide()

        # The search and the lists: one row that the main window puts in its toolbar (full width, as
        # Apple Mail and Zotero do), so the lists read whole and the table keeps the height.
        self.controls = QWidget(self)
        self.controls.setObjectName("filterControls")
        self.controls.setAccessibleName("Search and filters")
        first = QHBoxLayout(self.controls)
        first.setContentsMargins(0, 0, 0, 0)
        first.setSpacing(6)
        first.addWidget(self.search, 1)
        first.addWidget(self.speaker)
        first.addWidget(self.origin)
        first.addWidget(self.mention)
        first.addWidget(self.document)
        first.addWidget(self.clear_button)
        # The chips share the line of the match count, which always has a chip's height: a search
        # starting or cleared never moves the table (no relayout, no repaint of its rows).
        status = QHBoxLayout()
        status.addWidget(self.count)
        status.addWidget(self.active, 1)
        status.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(5)
        layout.addWidget(self.controls)
        layout.addWidget(self.topics)
        layout.addLayout(status)
        self.apply_colours()

    def apply_colours(self) -> None:
        """Topic chips in their colours; the search's placeholder in the muted text colour (legible, AA)."""
        self.topics.apply_colours()
        palette = self.search.palette()
        palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(colours().muted))
        self.search.setPalette(palette)

    def _combo(self, name: str, accessible: str, everything: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setToolTip(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(len(everything) + 1)  # "Any State or group" reads whole
        combo.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        combo.setMaximumWidth(230)
        combo.addItem(everything, None)
        combo.currentIndexChanged.connect(lambda: _name_choice(combo, accessible))
        combo.currentIndexChanged.connect(self.changed)
        combo.installEventFilter(self)  # Esc on the closed list: back to "any" (an open popup takes Esc first)
        return combo

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc clears the field that has the focus, and only it: the search text, or a list back to "any"."""
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            if watched is self.search and self.search.text():
                self.search.clear()
                return True
            if isinstance(watched, QComboBox) and watched.currentIndex() != 0:
                watched.setCurrentIndex(0)
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ the filter

    def filter(self) -> RecommendationFilter:
        origin = self.origin.currentData()
        document = self.document.currentData()
        return RecommendationFilter(
            text=self.search.text().strip(),
            topics=self.topics.checked(),
            speaker=self.speaker.currentData(),
            state=origin[1] if origin and origin[0] == "state" else None,
            group=origin[1] if origin and origin[0] == "group" else None,
            mention=self.mention.currentData(),
            document_id=document if isinstance(document, int) else None,
            document_ids=self._document_groups.get(document, ()) if isinstance(document, str) else (),
            section_id=self._section_id,
        )

    def set_filter(self, f: RecommendationFilter, scope_label: str = "") -> None:
        """Show ``f`` in the controls (values that no longer exist are dropped); emits `changed` once."""
        widgets = (self.search, self.speaker, self.origin, self.mention, self.document)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.setText(f.text)
        _select_data(self.speaker, f.speaker)
        _select_data(self.origin, ("state", f.state) if f.state else ("group", f.group) if f.group else None)
        group = next((key for key, ids in self._document_groups.items() if f.document_ids and ids == f.document_ids), None)
        _select_data(self.document, f.document_id if f.document_id is not None else group)
        _select_data(self.mention, f.mention)
        self.topics.set_checked(f.topics)
        for widget in widgets:
            widget.blockSignals(False)
        self._set_scope_quietly(f.section_id, scope_label)
        self.changed.emit()

    def clear(self) -> None:
        self.set_filter(RecommendationFilter())

    def remove_part(self, part: FilterPart) -> bool:
        """Remove a restriction the bar owns (False: another control owns ``part``)."""
        if part.field not in BAR_FIELDS:
            return False
        self.set_filter(without_part(self.filter(), part), self._scope_label)
        return True

    def set_scope(self, section_id: int | None, label: str = "") -> None:
        self._set_scope_quietly(section_id, label)
        self.changed.emit()

    def _set_scope_quietly(self, section_id: int | None, label: str) -> None:
        self._section_id = section_id
        self._scope_label = label if section_id is not None else ""

    # ------------------------------------------------------------------ feedback

    def show_result(self, matches: int, total: int, *, complete: bool = True, counting: bool = True) -> None:
        """Show the number of matches; ``complete`` False: the first ones, while the rest are counted
        (``counting`` False: the rest will not come, their query was stopped)."""
        self.message.hide()
        if not complete:
            self.count.setText(f"{matches}+ of {total} recommendations" + (", counting…" if counting else ""))
        else:
            self.count.setText(f"{matches} of {total} recommendations" if matches != total else f"{total} recommendations")
        self.topics.counts_pending()

    def show_topic_counts(self, topic_counts: dict[str, int] | None) -> None:
        """The topic chips' numbers for the matches shown; None: their count was stopped."""
        self.topics.set_counts(topic_counts)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def scope_label(self) -> str:
        return self._scope_label

    def set_mentions(self, mentions: Sequence[MentionOption]) -> None:
        """Offer ``mentions`` in the Mentions filter, grouped by kind, keeping the choice if it is still there."""
        current = self.mention.currentData()
        self.mention.blockSignals(True)
        while self.mention.count() > 1:
            self.mention.removeItem(1)
        kind = None
        for row in mentions:
            if row.kind != kind and self.mention.count() > 1:
                self.mention.insertSeparator(self.mention.count())
            kind = row.kind
            self.mention.addItem(row.key, row.key)
            self.mention.setItemData(
                self.mention.count() - 1, f"{KIND_LABELS.get(row.kind, row.kind)}: {row.label}", Qt.ItemDataRole.ToolTipRole
            )
        _select_data(self.mention, current)
        self.mention.blockSignals(False)
        if self.mention.currentData() != current:
            self.changed.emit()

    def set_mention(self, key: str | None) -> None:
        """Filter by the thing ``key`` names (from a mention clicked in the details); emits `changed`."""
        _select_data(self.mention, key)

    def set_documents(self, documents: list[DocumentRow]) -> None:
        """Offer ``documents`` in the document filter (after an import), keeping the choice if it still exists."""
        current = self.document.currentData()
        self.document.blockSignals(True)
        while self.document.count() > 1:
            self.document.removeItem(1)
        self._document_groups = _add_documents(self.document, documents)
        _select_data(self.document, current)
        self.document.blockSignals(False)
        if self.document.currentData() != current:
            self.changed.emit()


def _add_documents(combo: QComboBox, documents: list[DocumentRow]) -> dict[str, tuple[int, ...]]:
    """Offer the reports, after the groups of them a delegate filters by: each working group and each
    year with more than one report, but not all of them ("Firearms: all 3 reports", "2022: all 2 reports"). A report is named by its group and year ("Firearms 2021") when both are known.

    A group's item data is its key ("group:<name>", "year:<year>"), a report's its id; returns the
    reports of each group by key.
    """
    groups: dict[str, list[int]] = {}
    for row in documents:
        if row.group:
            groups.setdefault(f"group:{row.group}", []).append(row.id)
    for row in sorted(documents, key=lambda r: r.year or 0):
        if row.year:
            groups.setdefault(f"year:{row.year}", []).append(row.id)
    offered = {}
    for key, ids in groups.items():
        if not 1 < len(ids) < len(documents):
            continue
        kind, name = key.split(":", 1)
        label = f"{re.sub(r'^Working Group on ', '', name)}: all {len(ids)} reports"
        combo.addItem(_short_title(label, 48), key)
        combo.setItemData(
            combo.count() - 1,
            f"{name}: all {len(ids)} reports ({'working group' if kind == 'group' else 'year'})",
            Qt.ItemDataRole.ToolTipRole,
        )
        offered[key] = tuple(ids)
    for row in documents:
        name = re.sub(r"^Working Group on ", "", row.group)
        combo.addItem(f"{name} {row.year}" if name and row.year else _short_title(row.title), row.id)
        combo.setItemData(combo.count() - 1, row.title, Qt.ItemDataRole.ToolTipRole)
    return offered


def _name_choice(combo: QComboBox, accessible: str) -> None:
    """The tooltip names the whole choice: a long name ("Miguel Angel Fuentes Peniza") may be elided."""
    combo.setToolTip(accessible if combo.currentIndex() <= 0 else f"{accessible}: {combo.currentText()}")


def _select_data(combo: QComboBox, data: object) -> None:
    """Select the item holding ``data`` (the first item when none does). Compared in Python: Qt's
    `findData` does not find the tuples of the origin filter."""
    index = next((i for i in range(combo.count()) if combo.itemData(i) == data), 0) if data is not None else 0
    combo.setCurrentIndex(index)


def _short_title(title: str, limit: int = 40) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"
