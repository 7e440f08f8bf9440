"""ReportReader: the whole report for reading in context, with backlinks per paragraph.

The text is built with QTextCursor (not HTML) so that every paragraph's position
is known exactly: opening a paragraph scrolls to it, tints it, and marks the
remark that was clicked. Under each paragraph whose remarks back recommendations,
a line links to them; the bar above the text (`readerBacklinks`) lists the
backlinks of the paragraph that is open.

Dragging out: selected text drags as the remark it lies in (or its paragraph),
and a paragraph's number drags the whole paragraph, as a `DropPayload` plus
the text; dropped on a recommendation, it makes a curated link.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDrag, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QTextBrowser, QTextEdit, QVBoxLayout, QWidget

from desktop.itemmodels.mime import payload_mime
from desktop.theme import colours
from desktop.views.html import escape, href, link, parse_href
from desktop.views.link_keys import LinkKeys
from models.annotations import drops
from models.queries.remarks import Backlink, ReportView


class ReaderBrowser(LinkKeys, QTextBrowser):
    """The reader's text: selections and paragraph numbers drag as paragraph or remark payloads."""

    def __init__(self, reader: ReportReader) -> None:
        super().__init__(reader)
        self._reader = reader
        self._press: QPoint | None = None

    def createMimeDataFromSelection(self) -> QMimeData:
        cursor = self.textCursor()
        payload = self._reader.payload_at(cursor.selectionStart(), cursor.selectionEnd())
        text = cursor.selection().toPlainText()
        return payload_mime(payload, text) if payload is not None else super().createMimeDataFromSelection()

    def mousePressEvent(self, event) -> None:
        position = self.cursorForPosition(event.position().toPoint()).position()
        self._press = event.position().toPoint() if self._reader.number_at(position) is not None else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if (
            self._press is not None
            and event.buttons() & Qt.MouseButton.LeftButton
            and (event.position().toPoint() - self._press).manhattanLength() >= QApplication.startDragDistance()
        ):
            paragraph_id = self._reader.number_at(self.cursorForPosition(self._press).position())
            self._press = None
            payload = self._reader.paragraph_payload(paragraph_id) if paragraph_id is not None else None
            if payload is not None:
                drag = QDrag(self)
                drag.setMimeData(payload_mime(payload, f"¶ {payload.paragraph}"))
                drag.exec(Qt.DropAction.CopyAction | Qt.DropAction.LinkAction, Qt.DropAction.LinkAction)
                return
        super().mouseMoveEvent(event)


class ElidedTitle(QLabel):
    """A one-line title cut with "…" at the width it is given; the whole title is its tooltip."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setMinimumWidth(1)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.contentsRect().width(), 1)
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width))


class ReportReader(QWidget):
    recommendationActivated = Signal(int)  # a top-level recommendation id
    paragraphOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ElidedTitle("Report", self)
        self.title.setObjectName("paneTitle")
        self.backlinks_label = QLabel(self)
        self.backlinks_label.setObjectName("readerBacklinks")
        self.backlinks_label.setAccessibleName("Recommendations the open paragraph backs")
        self.backlinks_label.setWordWrap(True)
        self.backlinks_label.setMinimumWidth(1)
        self.backlinks_label.linkActivated.connect(lambda url: self._follow(QUrl(url)))
        self.browser = ReaderBrowser(self)
        self.browser.setObjectName("reportReader")
        self.browser.setAccessibleName("Report reader")
        self.browser.setOpenLinks(False)
        self.browser.document().setDocumentMargin(14)
        self.browser.anchorClicked.connect(self._follow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.backlinks_label)
        layout.addWidget(self.browser, 1)
        self.report: ReportView | None = None
        self.current_paragraph: int | None = None
        self._paragraphs: dict[int, tuple[int, int, str]] = {}  # id -> (block position, text position, number)
        self._recommendations: dict[int, int] = {}  # recommendation id -> block position
        self._remark_spans: dict[int, tuple[tuple[int, int, int], ...]] = {}  # paragraph id -> its remarks
        self._pending: tuple[int, tuple[int, int] | None] | None = None
        self._show_backlinks(None)

    # ------------------------------------------------------------------ building

    def set_report(self, report: ReportView) -> None:
        self.report = report
        self.title.set_full_text(report.title)
        self._paragraphs.clear()
        self._recommendations.clear()
        self._remark_spans.clear()
        document = self.browser.document()
        document.clear()
        cursor = QTextCursor(document)
        base = QTextCharFormat()
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.DemiBold)
        muted = QTextCharFormat()
        palette = colours()
        muted.setForeground(QColor(palette.muted))
        muted.setFontPointSize(max(7.0, self.font().pointSizeF() * 0.9))
        first = True
        for block in report.blocks:
            block_format = QTextBlockFormat()
            block_format.setBottomMargin(6)
            if not first:
                cursor.insertBlock(block_format, base)
            else:
                cursor.setBlockFormat(block_format)
                first = False
            if block.kind == "heading":
                heading = QTextCharFormat(bold)
                heading.setFontPointSize(self.font().pointSizeF() * (1.25 if block.level == 1 else 1.08))
                heading.setForeground(QColor(palette.strong))
                block_format.setTopMargin(12 if block.level == 1 else 6)
                cursor.setBlockFormat(block_format)
                cursor.insertText(f"{block.label}. {block.text}", heading)
            elif block.kind == "paragraph":
                position = cursor.position()
                prefix = f"{block.label}. "
                cursor.insertText(prefix, bold)
                self._paragraphs[block.id] = (position, position + len(prefix), block.label)
                self._remark_spans[block.id] = block.remarks
                cursor.insertText(block.text, base)
                backs = report.backlinks.get(block.id, ())
                if backs:
                    cursor.insertBlock(block_format, muted)
                    cursor.insertText("Backs recommendation" + ("s " if len(backs) > 1 else " "), muted)
                    for number, back in enumerate(backs):
                        if number:
                            cursor.insertText(", ", muted)
                        anchor = QTextCharFormat(muted)
                        anchor.setAnchor(True)
                        anchor.setAnchorHref(href("rec", back.recommendation_id))
                        anchor.setForeground(QColor(palette.accent))
                        cursor.insertText(back.number, anchor)
            else:
                if block.level:
                    block_format.setLeftMargin(18)
                    cursor.setBlockFormat(block_format)
                self._recommendations[block.id] = cursor.position()
                label = f"({block.label[-1]}) " if block.level else f"Recommendation {block.label}. "
                cursor.insertText(label, bold)
                cursor.insertText(block.text, base)
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        if self._pending is not None:
            paragraph_id, span = self._pending
            self._pending = None
            self.open_paragraph(paragraph_id, span)

    # ------------------------------------------------------------------ navigation

    def has_paragraph(self, paragraph_id: int) -> bool:
        return paragraph_id in self._paragraphs

    def open_paragraph(self, paragraph_id: int, span: tuple[int, int] | None = None) -> None:
        """Scroll to the paragraph, tint it, and mark ``span`` (a remark's offsets in its text)."""
        if paragraph_id not in self._paragraphs:
            self._pending = (paragraph_id, span)
            return
        block_position, text_position, _number = self._paragraphs[paragraph_id]
        document = self.browser.document()
        block = document.findBlock(block_position)
        selections = []
        whole = QTextEdit.ExtraSelection()
        tint = QTextCharFormat()
        tint.setBackground(QColor(colours().current_paragraph))
        tint.setProperty(QTextFormat.Property.FullWidthSelection, True)
        whole.format = tint
        whole.cursor = QTextCursor(block)
        selections.append(whole)
        if span is not None:
            remark = QTextEdit.ExtraSelection()
            mark = QTextCharFormat()
            mark.setBackground(QColor(colours().remark_in_reader))
            remark.format = mark
            cursor = QTextCursor(document)
            cursor.setPosition(text_position + span[0])
            cursor.setPosition(text_position + span[1], QTextCursor.MoveMode.KeepAnchor)
            remark.cursor = cursor
            selections.append(remark)
        self.browser.setExtraSelections(selections)
        cursor = QTextCursor(block)
        self.browser.setTextCursor(cursor)
        top = document.documentLayout().blockBoundingRect(block).top()
        self.browser.verticalScrollBar().setValue(int(top) - 8)
        self.current_paragraph = paragraph_id
        self._show_backlinks(paragraph_id)
        self.paragraphOpened.emit(paragraph_id)

    # ------------------------------------------------------------------ drag payloads

    def paragraph_payload(self, paragraph_id: int) -> drops.DropPayload | None:
        number = self.paragraph_number(paragraph_id)
        if self.report is None or number is None:
            return None
        return drops.DropPayload(drops.PARAGRAPH, document_key=self.report.document_key, paragraph=int(number))

    def number_at(self, position: int) -> int | None:
        """The paragraph whose number ("9. ") is at this document position, if any."""
        for paragraph_id, (block_position, text_position, _number) in self._paragraphs.items():
            if block_position <= position < text_position:
                return paragraph_id
        return None

    def payload_at(self, start: int, end: int) -> drops.DropPayload | None:
        """What a selection from ``start`` to ``end`` stands for: the remark holding it, else its paragraph."""
        for paragraph_id, (block_position, text_position, _number) in self._paragraphs.items():
            length = len(self.browser.document().findBlock(block_position).text()) + block_position
            if not block_position <= start <= length:
                continue
            payload = self.paragraph_payload(paragraph_id)
            offset_start, offset_end = start - text_position, end - text_position
            for position, remark_start, remark_end in self._remark_spans.get(paragraph_id, ()):
                if remark_start <= offset_start and offset_end <= remark_end:
                    return drops.DropPayload(
                        drops.REMARK, document_key=payload.document_key, paragraph=payload.paragraph, remark_position=position
                    )
            return payload
        return None

    def backlinks(self, paragraph_id: int) -> tuple[Backlink, ...]:
        return self.report.backlinks.get(paragraph_id, ()) if self.report else ()

    def paragraph_number(self, paragraph_id: int) -> str | None:
        entry = self._paragraphs.get(paragraph_id)
        return entry[2] if entry else None

    def _show_backlinks(self, paragraph_id: int | None) -> None:
        if paragraph_id is None:
            self.backlinks_label.setText(
                f'<span style="color:{colours().muted};">Open a paragraph to see the recommendations it backs.</span>'
            )
            return
        number = self.paragraph_number(paragraph_id)
        backs = self.backlinks(paragraph_id)
        if not backs:
            text = f"¶ {escape(number or '')} backs no recommendation."
        else:
            links = ", ".join(link("rec", back.number, back.recommendation_id) for back in backs)
            text = f"¶ {escape(number or '')} backs recommendation{'s' if len(backs) > 1 else ''} {links}"
        self.backlinks_label.setText(text)

    def _follow(self, url: QUrl) -> None:
        kind, parts = parse_href(url)
        if kind == "rec" and parts:
            self.recommendationActivated.emit(int(parts[0]))
