"""ReportReader: the whole report for reading in context, with backlinks per paragraph.

The text is built with QTextCursor (not HTML) so that every paragraph's position
is known exactly: opening a paragraph scrolls to it, tints it, and marks the
remark that was clicked. Under each paragraph whose remarks back recommendations,
a line links to them; the bar above the text (`readerBacklinks`) lists the
backlinks of the paragraph that is open.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QLabel, QSizePolicy, QTextBrowser, QTextEdit, QVBoxLayout, QWidget

from desktop.theme import ACCENT, CURRENT_PARAGRAPH, MUTED, REMARK_IN_READER
from desktop.views.html import escape, href, link, parse_href
from models.remark_queries import Backlink, ReportView


class ReportReader(QWidget):
    recommendationActivated = Signal(int)  # a top-level recommendation id
    paragraphOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Report", self)
        self.title.setObjectName("paneTitle")
        self.title.setMinimumWidth(1)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.backlinks_label = QLabel(self)
        self.backlinks_label.setObjectName("readerBacklinks")
        self.backlinks_label.setAccessibleName("Recommendations the open paragraph backs")
        self.backlinks_label.setWordWrap(True)
        self.backlinks_label.setMinimumWidth(1)
        self.backlinks_label.linkActivated.connect(lambda url: self._follow(QUrl(url)))
        self.browser = QTextBrowser(self)
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
        self._pending: tuple[int, tuple[int, int] | None] | None = None
        self._show_backlinks(None)

    # ------------------------------------------------------------------ building

    def set_report(self, report: ReportView) -> None:
        self.report = report
        self.title.setText(report.title)
        self.title.setToolTip(report.title)
        self._paragraphs.clear()
        self._recommendations.clear()
        document = self.browser.document()
        document.clear()
        cursor = QTextCursor(document)
        base = QTextCharFormat()
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.DemiBold)
        muted = QTextCharFormat()
        muted.setForeground(QColor(MUTED))
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
                heading.setForeground(QColor("#111827"))
                block_format.setTopMargin(12 if block.level == 1 else 6)
                cursor.setBlockFormat(block_format)
                cursor.insertText(f"{block.label}. {block.text}", heading)
            elif block.kind == "paragraph":
                position = cursor.position()
                prefix = f"{block.label}. "
                cursor.insertText(prefix, bold)
                self._paragraphs[block.id] = (position, position + len(prefix), block.label)
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
                        anchor.setForeground(QColor(ACCENT))
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
        tint.setBackground(QColor(CURRENT_PARAGRAPH))
        tint.setProperty(QTextFormat.Property.FullWidthSelection, True)
        whole.format = tint
        whole.cursor = QTextCursor(block)
        selections.append(whole)
        if span is not None:
            remark = QTextEdit.ExtraSelection()
            mark = QTextCharFormat()
            mark.setBackground(QColor(REMARK_IN_READER))
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

    def backlinks(self, paragraph_id: int) -> tuple[Backlink, ...]:
        return self.report.backlinks.get(paragraph_id, ()) if self.report else ()

    def paragraph_number(self, paragraph_id: int) -> str | None:
        entry = self._paragraphs.get(paragraph_id)
        return entry[2] if entry else None

    def _show_backlinks(self, paragraph_id: int | None) -> None:
        if paragraph_id is None:
            self.backlinks_label.setText(f'<span style="color:{MUTED};">Open a paragraph to see the '
                                         "recommendations it backs.</span>")
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
