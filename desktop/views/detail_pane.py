"""DetailPane: a recommendation with the remarks behind it, or a speaker's or State's remarks.

Renders `RecommendationDetail` and `RemarkLine` rows as rich text with links
(`views.html.href`); clicking one emits a signal, the main window navigates.
Evidence phrases are highlighted on both sides of each link: in the
recommendation (or sub-item) text and in the remark. Weaker links (shown=False)
appear on demand.

Annotations: the delegate's highlights colour the recommendation text; each
remark offers "reject" (automatic links) or "remove link" (curated ones), and
rejected links are listed with "restore" (`linkAction`). A remark drags out by
its "¶" line as a `DropPayload`; a paragraph or remark dropped here links to
the recommendation shown (`payloadDropped`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QDrag, QTextCursor
from PySide6.QtWidgets import QApplication, QTextBrowser, QToolTip, QWidget

from desktop.itemmodels.mime import payload_mime, payload_of
from desktop.theme import colours, topic_colours
from desktop.views import link_tips as tips
from desktop.views.html import escape, highlighted, link, parse_href
from desktop.views.link_keys import LinkKeys
from desktop.views.link_tips import tip
from models.annotations import Highlight, drops
from models.build.recurrence import DELETE, INSERT, RecurrenceRow, word_diff
from models.engines.link_reasons import STRENGTHS, bars
from models.queries.behind import AUTOMATIC, CURATED
from models.queries.mentions import KIND_LABELS, MentionSummary
from models.queries.remarks import RecommendationDetail, RemarkLine, RemarkView, SpeakerView


def css() -> str:
    """The details' style sheet in the current palette's colours."""
    c = colours()
    return f"""
body {{ font-size: 10pt; color: {c.text}; }}
h2 {{ font-size: 13pt; margin: 0 0 2px 0; color: {c.strong}; }}
.title {{ margin: 0 0 2px 0; }}
.heading {{ font-size: 13pt; font-weight: 700; color: {c.strong}; }}
h3 {{ font-size: 10.5pt; margin: 10px 0 4px 0; color: {c.strong}; }}
p {{ margin: 0 0 6px 0; }}
a {{ color: {c.accent}; text-decoration: none; }}
.meta {{ color: {c.muted}; font-size: 9pt; }}
.speaker {{ margin-top: 6px; }}
.remark {{ margin-left: 14px; }}
.sub {{ margin-left: 16px; }}
.recurs {{ margin-left: 14px; }}
.why {{ color: {c.muted}; font-size: 9pt; font-style: italic; }}
.mentions {{ margin-left: 14px; }}
"""


def inserted_style() -> str:
    return f"color:{colours().inserted}; text-decoration: underline;"  # green underline


def deleted_style() -> str:
    return f"color:{colours().deleted}; text-decoration: line-through;"  # red strikethrough


class DetailPane(LinkKeys, QTextBrowser):
    remarkActivated = Signal(int, int, int, int)  # paragraph id, remark id, start, end
    speakerActivated = Signal(str)
    originActivated = Signal(str, str)  # "state" or "group", name
    recommendationActivated = Signal(int)
    mentionActivated = Signal(str)  # a mention's key ("INTERPOL"): filter the table by it
    weakerToggled = Signal(bool)
    linkAction = Signal(str, object)  # "reject" / "restore" / "unlink", the RemarkView
    payloadDropped = Signal(object)  # a DropPayload (paragraph or remark) dropped on the recommendation

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setAccessibleName("Recommendation details and the remarks behind it")
        self.setOpenLinks(False)
        self.document().setDefaultStyleSheet(css())
        self.document().setDocumentMargin(12)
        self.anchorClicked.connect(self._follow)
        self.show_weaker = False
        self._detail: RecommendationDetail | None = None
        self._recurrences: tuple[RecurrenceRow, ...] = ()
        self._remarks: dict[int, RemarkView | RemarkLine] = {}
        self._highlights: tuple[Highlight, ...] = ()
        self._drag_blocks: dict[int, int] = {}  # block number of a remark's "¶" line -> remark id
        self._press: QPoint | None = None
        self.setAcceptDrops(True)
        self.show_placeholder()

    def show_placeholder(self) -> None:
        self._detail = None
        self.setHtml(
            f'<p class="meta" style="color:{colours().muted};">Select a recommendation to see the remarks behind it.</p>'
        )

    def tooltip_at(self, point: QPoint) -> str:
        """The tooltip of the text under ``point`` (viewport coordinates): a link's or a fragment's title."""
        offset = QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        position = self.document().documentLayout().hitTest(point + offset, Qt.HitTestAccuracy.ExactHit)
        if position < 0:
            return ""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position + 1)  # a cursor's format is the character's before it: the one under the point
        return cursor.charFormat().toolTip()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def set_show_weaker(self, on: bool) -> None:
        if on != self.show_weaker:
            self.show_weaker = on
            if self._detail is not None:
                self.show_recommendation(self._detail)
            self.weakerToggled.emit(on)

    # ------------------------------------------------------------------ recommendation

    @property
    def detail(self) -> RecommendationDetail | None:
        return self._detail

    def set_highlights(self, highlights: tuple[Highlight, ...]) -> None:
        """The delegate's highlights on the recommendation shown (re-renders only if they differ)."""
        if highlights != self._highlights:
            self._highlights = tuple(highlights)
            if self._detail is not None:
                self.show_recommendation(self._detail)

    def show_recommendation(self, detail: RecommendationDetail, recurrences: Sequence[RecurrenceRow] | None = None) -> None:
        """Show ``detail``; ``recurrences`` (None: keep those shown with it) fill the "Recurs in" section."""
        same = self._detail is not None and self._detail.id == detail.id
        if recurrences is not None or not same:
            self._recurrences = tuple(recurrences or ())
        if not same:
            self._highlights = ()
        scroll = self.verticalScrollBar().value() if same else 0
        self._detail = detail
        links = [item for item in detail.links if item.shown or self.show_weaker]
        self._remarks = {item.remark_id: item for item in (*links, *detail.rejected)}
        spans: dict[int, list] = {}
        for item in links:
            spans.setdefault(item.recommendation_id, []).extend(item.recommendation_spans)
        # The topics share the heading's line (as a mail client's labels do): the remarks come up a line.
        chips = "".join("&nbsp; " + _chip(chip.label, chip.position) for chip in detail.topics)
        html = [
            f'<p class="title"><span class="heading">Recommendation {escape(detail.number)}</span>{chips}</p>',
            f'<p class="meta">{escape(detail.section_label)}. {escape(detail.section_title)}</p>',
            f"<p>{_marked(detail.text, spans.get(detail.id, []), self._highlights)}</p>",
        ]
        for sub in detail.sub_items:
            html.append(f'<p class="sub"><b>({escape(sub.letter)})</b> {highlighted(sub.text, spans.get(sub.id, []))}</p>')
        html.extend(_recurs_in_html(detail.text, self._recurrences))
        shown = sum(item.shown for item in detail.links)
        weaker = len(detail.links) - shown
        html.append(f"<h3>Remarks behind it ({shown})</h3>")
        if not links:
            html.append('<p class="meta">No remark is linked strongly enough to show.</p>')
        for speaker, items in _group_by_speaker(links):
            html.append(f'<p class="speaker">{_speaker_html(speaker)}</p>')
            for item in items:
                html.append(_remark_html(item, detail.number))
        if weaker:
            toggle = "Hide weaker links" if self.show_weaker else f"Show weaker links ({weaker})"
            html.append(f'<p style="margin-top:10px;">{link("weaker", toggle, "toggle", title=tips.WEAKER)}</p>')
        html.extend(_mentions_html(detail.mentions))
        if detail.rejected:
            html.append(f"<h3>Rejected links ({len(detail.rejected)})</h3>")
            for item in detail.rejected:
                restore = link("restore", "restore", item.remark_id, title="Show this link again")
                html.append(f'<p class="remark meta">¶ {item.paragraph_number} · {escape(item.speaker.label)} · {restore}</p>')
        self.setHtml(f"<html><body>{''.join(html)}</body></html>")
        self._index_remark_blocks()
        self.verticalScrollBar().setValue(scroll)

    def recommendation_selection(self) -> tuple[int, int] | None:
        """The selected characters of the recommendation's own text, as offsets into it (None: no selection)."""
        cursor = self.textCursor()
        if self._detail is None or not cursor.hasSelection():
            return None
        block = self.document().begin()
        while block.isValid() and block.text() != self._detail.text:
            block = block.next()
        if not block.isValid():
            return None
        start = max(cursor.selectionStart() - block.position(), 0)
        end = min(cursor.selectionEnd() - block.position(), len(self._detail.text))
        return (start, end) if start < end else None

    # ------------------------------------------------------------------ drag a remark out, drop one in

    def _index_remark_blocks(self) -> None:
        self._drag_blocks = {}
        block = self.document().begin()
        while block.isValid():
            for fragment in (item.fragment() for item in block):
                kind, parts = parse_href(fragment.charFormat().anchorHref()) if fragment.isValid() else ("", [])
                if kind == "remark" and parts and self._detail is not None:
                    self._drag_blocks[block.blockNumber()] = int(parts[0])
                    break
            block = block.next()

    def remark_payload(self, remark_id: int) -> drops.DropPayload | None:
        item = self._remarks.get(remark_id)
        if self._detail is None or not isinstance(item, RemarkView):
            return None
        return drops.DropPayload(
            drops.REMARK,
            document_key=self._detail.document_key,
            paragraph=item.paragraph_number,
            remark_position=item.remark_position,
        )

    def mousePressEvent(self, event) -> None:
        block = self.cursorForPosition(event.position().toPoint()).block().blockNumber()
        self._press = event.position().toPoint() if block in self._drag_blocks else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if (
            self._press is not None
            and event.buttons() & Qt.MouseButton.LeftButton
            and (event.position().toPoint() - self._press).manhattanLength() >= QApplication.startDragDistance()
        ):
            block = self.cursorForPosition(self._press).block().blockNumber()
            self._press = None
            payload = self.remark_payload(self._drag_blocks.get(block, -1))
            if payload is not None:
                item = self._remarks[self._drag_blocks[block]]
                drag = QDrag(self)
                drag.setMimeData(payload_mime(payload, item.text))
                drag.exec(Qt.DropAction.CopyAction | Qt.DropAction.LinkAction, Qt.DropAction.LinkAction)
                return
        super().mouseMoveEvent(event)

    def accepts(self, mime) -> drops.DropPayload | None:
        payload = payload_of(mime)
        if payload is None or self._detail is None:
            return None
        same = payload.document_key in (None, self._detail.document_key)
        return payload if drops.can_drop(payload.kind, drops.ON_RECOMMENDATION, same_document=same) else None

    def dragEnterEvent(self, event) -> None:
        if self.accepts(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if self.accepts(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        payload = self.accepts(event.mimeData())
        if payload is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.payloadDropped.emit(payload)

    # ------------------------------------------------------------------ speaker or State

    def show_remark_lines(self, title: str, subtitle: str, lines: Sequence[RemarkLine]) -> None:
        self._detail = None
        self._remarks = {line.remark_id: line for line in lines}
        html = [f"<h2>{escape(title)}</h2>"]
        if subtitle:
            html.append(f'<p class="meta">{subtitle}</p>')
        html.append(f"<h3>{len(lines)} remark{'s' if len(lines) != 1 else ''}</h3>")
        for line in lines:
            backs = ", ".join(link("rec", back.number, back.recommendation_id) for back in line.backs)
            html.append(
                f'<p class="speaker">{link("remark", f"¶ {line.paragraph_number}", line.remark_id)}'
                f" · {_speaker_html(line.speaker)}</p>"
            )
            html.append(f'<p class="remark">{escape(line.text)}</p>')
            html.append(
                f'<p class="remark meta">Backs recommendation{"s" if len(line.backs) != 1 else ""} '
                f"{backs or 'none (no link strong enough)'}</p>"
            )
        self.setHtml(f"<html><body>{''.join(html)}</body></html>")

    # ------------------------------------------------------------------ links

    def _follow(self, url: QUrl) -> None:
        kind, parts = parse_href(url)
        if kind == "remark" and parts:
            remark = self._remarks.get(int(parts[0]))
            if remark is not None:
                self.remarkActivated.emit(remark.paragraph_id, remark.remark_id, remark.start, remark.end)
        elif kind == "speaker" and parts:
            self.speakerActivated.emit(parts[0])
        elif kind == "origin" and len(parts) == 2:
            self.originActivated.emit(parts[0], parts[1])
        elif kind == "rec" and parts:
            self.recommendationActivated.emit(int(parts[0]))
        elif kind == "mention" and parts:
            self.mentionActivated.emit(parts[0])
        elif kind == "weaker":
            self.set_show_weaker(not self.show_weaker)
        elif kind in ("reject", "restore", "unlink") and parts:
            remark = self._remarks.get(int(parts[0]))
            if isinstance(remark, RemarkView):
                self.linkAction.emit(kind, remark)


def _marked(text: str, evidence: Sequence[tuple[int, int]], highlights: Sequence[Highlight]) -> str:
    """The recommendation text with evidence spans and, over them, the delegate's coloured highlights."""
    if not highlights:
        return highlighted(text, evidence)
    palette = colours()
    fills: list[str | None] = [None] * len(text)
    for start, end in evidence:
        for i in range(max(start, 0), min(end, len(text))):
            fills[i] = palette.evidence
    for mark in highlights:
        for i in range(max(mark.start, 0), min(mark.end, len(text))):
            fills[i] = palette.user.get(mark.colour, mark.colour)
    out, start = [], 0
    for i in range(1, len(text) + 1):
        if i == len(text) or fills[i] != fills[start]:
            piece = escape(text[start:i])
            out.append(f'<span style="background-color:{fills[start]};">{piece}</span>' if fills[start] else piece)
            start = i
    return "".join(out)


def _chip(label: str, position: int) -> str:
    background, text = topic_colours(position)
    return f'<span style="background-color:{background.name()}; color:{text.name()};">&nbsp;{escape(label)}&nbsp;</span>'


def _group_by_speaker(links: Sequence[RemarkView]) -> list[tuple[SpeakerView, list[RemarkView]]]:
    """Named speakers gather their remarks; each unnamed speaker ("one speaker") stays on its own."""
    groups: dict[object, tuple[SpeakerView, list[RemarkView]]] = {}
    for item in links:
        key = item.speaker.label if item.speaker.named else ("anonymous", item.remark_id)
        groups.setdefault(key, (item.speaker, []))[1].append(item)
    return list(groups.values())


def _speaker_html(speaker: SpeakerView) -> str:
    if speaker.named:
        parts = [f"<b>{link('speaker', speaker.label, speaker.label, title='All remarks of this speaker')}</b>"]
    else:
        parts = [f"<b>{escape(speaker.label[:1].upper() + speaker.label[1:])}</b>"]
    if speaker.function:
        parts.append(escape(speaker.function))
    if speaker.state:
        parts.append(link("origin", speaker.state, "state", speaker.state, title="All remarks from this State"))
    if speaker.group:
        parts.append(link("origin", speaker.group, "group", speaker.group, title="All remarks from this group"))
    if speaker.on_behalf_of:
        parts.append("on behalf of " + link("origin", speaker.on_behalf_of, "state", speaker.on_behalf_of))
    return " · ".join(parts)


def _remark_html(item: RemarkView, number: str) -> str:
    where = link("remark", f"¶ {item.paragraph_number}", item.remark_id, title="Open the paragraph in the report")
    target = f" · for {escape(item.recommendation_number)}" if item.recommendation_number != number else ""
    strength = "" if item.shown else " · " + tip("weaker link", tips.WEAKER)
    meter = f"{_meter(item.strength, ' '.join(item.reasons))} " if item.strength and item.source != CURATED else ""
    if item.source == CURATED:
        action = link("unlink", "remove link", item.remark_id, title="Remove your link to this remark")
        source = tip("<b>curated</b>", tips.CURATED)
    else:
        action = link("reject", "reject", item.remark_id, title="Hide this automatic link")
        source = tip(escape(item.source), tips.AUTOMATIC if item.source == AUTOMATIC else item.source)
    score = tip(f"score {item.score:.2f}", tips.SCORE)
    meta = f"{tip('⠿', tips.DRAG_HANDLE)} {where} · {meter}{score} · {source}{target}{strength} · {action}"
    style = "" if item.shown else f' style="color:{colours().muted};"'
    why = f'<p class="remark why">{escape(" ".join(item.reasons))}</p>' if item.reasons and item.source != "curated" else ""
    return f'<p class="remark meta">{meta}</p><p class="remark"{style}>{highlighted(item.text, item.remark_spans)}</p>{why}'


def _meter(strength: str, why: str = "") -> str:
    """The link's strength in words, after a three-bar meter ("▮▮▯ moderate"); ``why`` (the link's
    reasons, also written under the remark) is its tooltip, so the reasons are at hand next to it."""
    filled, empty = bars(strength), len(STRENGTHS) - bars(strength)
    c = colours()
    on = f'<span style="color:{c.accent};">{"▮" * filled}</span>' if filled else ""
    off = f'<span style="color:{c.border};">{"▮" * empty}</span>' if empty else ""  # the meter's empty bars
    meter = f'<span class="meter">{on}{off} {escape(strength)}</span>'
    return f"{tip(meter, why) if why else meter} ·"


def _mentions_html(mentions: Sequence[MentionSummary]) -> list[str]:
    """The "Mentions" section: instruments, organisations, systems, States ... named here or behind it."""
    if not mentions:
        return []
    html = [f"<h3>Mentions ({len(mentions)})</h3>"]
    by_kind: dict[str, list[MentionSummary]] = {}
    for mention in mentions:
        by_kind.setdefault(mention.kind, []).append(mention)
    for kind, items in by_kind.items():
        names = " · ".join(
            link("mention", item.key, item.key, title=f"{item.label}: show the recommendations that mention it")
            + f' <span class="meta">({escape(", ".join(item.places))})</span>'
            for item in items
        )
        html.append(f'<p class="mentions"><b>{escape(KIND_LABELS.get(kind, kind.title()))}</b>: {names}</p>')
    return html


def _diff_html(old: str, new: str) -> str:
    """How ``old`` became ``new``: insertions underlined in green, deletions struck through in red."""
    out = []
    for op, text in word_diff(old, new):
        if op == INSERT:
            out.append(f'<span class="inserted" style="{inserted_style()}">{escape(text)}</span>')
        elif op == DELETE:
            out.append(f'<span class="deleted" style="{deleted_style()}">{escape(text)}</span>')
        else:
            out.append(escape(text))
    return " ".join(out)


def _recurs_in_html(text: str, rows: Sequence[RecurrenceRow]) -> list[str]:
    """The "Recurs in" section: other reports' recommendations that repeat or revise this one."""
    if not rows:
        return []
    html = [f"<h3>Recurs in ({len(rows)})</h3>"]
    for row in rows:
        when = f" ({row.other_start_date:%Y})" if row.other_start_date else ""
        target = link(
            "rec", f"Recommendation {row.other_number}", row.other_id, title="Show this recommendation of the other report"
        )
        kind = "repeated word for word" if row.identical else "revised"
        html.append(
            f'<p class="recurs">{target} · {escape(row.other_document_title)}{escape(when)}'
            f'<br><span class="meta">similarity {row.score:.2f} · {kind} · '
            f"{'earlier' if row.earlier else 'later'} report</span></p>"
        )
        if not row.identical:
            old, new = (row.other_text, text) if row.earlier else (text, row.other_text)
            html.append(f'<p class="recurs">{_diff_html(old, new)}</p>')
    return html
