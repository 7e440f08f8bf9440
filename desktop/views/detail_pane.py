"""DetailPane: a recommendation with the remarks behind it, or a speaker's or State's remarks.

Renders `RecommendationDetail` and `RemarkLine` rows as rich text with links
(`views.html.href`); clicking one emits a signal, the main window navigates.
Evidence phrases are highlighted on both sides of each link: in the
recommendation (or sub-item) text and in the remark. Weaker links (shown=False)
appear on demand.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.theme import ACCENT, MUTED, topic_colours
from desktop.views.html import escape, highlighted, link, parse_href
from models.recurrence import DELETE, INSERT, RecurrenceRow, word_diff
from models.remark_queries import RecommendationDetail, RemarkLine, RemarkView, Speaker

CSS = f"""
body {{ font-size: 10pt; color: #1f2937; }}
h2 {{ font-size: 13pt; margin: 0 0 2px 0; color: #111827; }}
h3 {{ font-size: 10.5pt; margin: 14px 0 4px 0; color: #374151; }}
p {{ margin: 0 0 6px 0; }}
a {{ color: {ACCENT}; text-decoration: none; }}
.meta {{ color: {MUTED}; font-size: 9pt; }}
.speaker {{ margin-top: 10px; }}
.remark {{ margin-left: 14px; }}
.sub {{ margin-left: 16px; }}
.recurs {{ margin-left: 14px; }}
"""

INSERTED_STYLE = "color:#166534; text-decoration: underline;"  # green underline
DELETED_STYLE = "color:#b91c1c; text-decoration: line-through;"  # red strikethrough


class DetailPane(QTextBrowser):
    remarkActivated = Signal(int, int, int, int)  # paragraph id, remark id, start, end
    speakerActivated = Signal(str)
    originActivated = Signal(str, str)  # "state" or "group", name
    recommendationActivated = Signal(int)
    weakerToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setAccessibleName("Recommendation details and the remarks behind it")
        self.setOpenLinks(False)
        self.document().setDefaultStyleSheet(CSS)
        self.document().setDocumentMargin(12)
        self.anchorClicked.connect(self._follow)
        self.show_weaker = False
        self._detail: RecommendationDetail | None = None
        self._recurrences: tuple[RecurrenceRow, ...] = ()
        self._remarks: dict[int, RemarkView | RemarkLine] = {}
        self.show_placeholder()

    def show_placeholder(self) -> None:
        self._detail = None
        self.setHtml(f'<p class="meta" style="color:{MUTED};">Select a recommendation to see the remarks behind it.</p>')

    def set_show_weaker(self, on: bool) -> None:
        if on != self.show_weaker:
            self.show_weaker = on
            if self._detail is not None:
                self.show_recommendation(self._detail)
            self.weakerToggled.emit(on)

    # ------------------------------------------------------------------ recommendation

    def show_recommendation(self, detail: RecommendationDetail, recurrences: Sequence[RecurrenceRow] | None = None) -> None:
        """Show ``detail``; ``recurrences`` (None: keep those shown with it) fill the "Recurs in" section."""
        if recurrences is not None or self._detail is None or self._detail.id != detail.id:
            self._recurrences = tuple(recurrences or ())
        self._detail = detail
        links = [item for item in detail.links if item.shown or self.show_weaker]
        self._remarks = {item.remark_id: item for item in links}
        spans: dict[int, list] = {}
        for item in links:
            spans.setdefault(item.recommendation_id, []).extend(item.recommendation_spans)
        html = [f"<h2>Recommendation {escape(detail.number)}</h2>",
                f'<p class="meta">{escape(detail.section_label)}. {escape(detail.section_title)}</p>',
                f"<p>{highlighted(detail.text, spans.get(detail.id, []))}</p>"]
        for sub in detail.sub_items:
            html.append(f'<p class="sub"><b>({escape(sub.letter)})</b> {highlighted(sub.text, spans.get(sub.id, []))}</p>')
        if detail.topics:
            chips = " ".join(_chip(chip.label, chip.position) for chip in detail.topics)
            html.append(f"<p>{chips}</p>")
        html.extend(_recurs_in_html(detail.text, self._recurrences))
        shown = sum(item.shown for item in detail.links)
        weaker = len(detail.links) - shown
        html.append(f"<h3>Remarks behind it ({shown})</h3>")
        if not links:
            html.append(f'<p class="meta">No remark is linked strongly enough to show.</p>')
        for speaker, items in _group_by_speaker(links):
            html.append(f'<p class="speaker">{_speaker_html(speaker)}</p>')
            for item in items:
                html.append(_remark_html(item, detail.number))
        if weaker:
            toggle = ("Hide weaker links" if self.show_weaker else f"Show weaker links ({weaker})")
            html.append(f'<p style="margin-top:10px;">{link("weaker", toggle, "toggle")}</p>')
        self.setHtml(f"<html><body>{''.join(html)}</body></html>")

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
            html.append(f'<p class="speaker">{link("remark", f"¶ {line.paragraph_number}", line.remark_id)}'
                        f' · {_speaker_html(line.speaker)}</p>')
            html.append(f'<p class="remark">{escape(line.text)}</p>')
            html.append(f'<p class="remark meta">Backs recommendation{"s" if len(line.backs) != 1 else ""} '
                        f'{backs or "none (no link strong enough)"}</p>')
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
        elif kind == "weaker":
            self.set_show_weaker(not self.show_weaker)


def _chip(label: str, position: int) -> str:
    background, text = topic_colours(position)
    return (f'<span style="background-color:{background.name()}; color:{text.name()};">'
            f"&nbsp;{escape(label)}&nbsp;</span>")


def _group_by_speaker(links: Sequence[RemarkView]) -> list[tuple[Speaker, list[RemarkView]]]:
    """Named speakers gather their remarks; each unnamed speaker ("one speaker") stays on its own."""
    groups: dict[object, tuple[Speaker, list[RemarkView]]] = {}
    for item in links:
        key = item.speaker.label if item.speaker.named else ("anonymous", item.remark_id)
        groups.setdefault(key, (item.speaker, []))[1].append(item)
    return list(groups.values())


def _speaker_html(speaker: Speaker) -> str:
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
    strength = "" if item.shown else " · weaker link"
    meta = f'{where} · score {item.score:.2f} · {escape(item.origin)}{target}{strength}'
    style = "" if item.shown else f' style="color:{MUTED};"'
    return (f'<p class="remark meta">{meta}</p>'
            f'<p class="remark"{style}>{highlighted(item.text, item.remark_spans)}</p>')


def _diff_html(old: str, new: str) -> str:
    """How ``old`` became ``new``: insertions underlined in green, deletions struck through in red."""
    out = []
    for op, text in word_diff(old, new):
        if op == INSERT:
            out.append(f'<span class="inserted" style="{INSERTED_STYLE}">{escape(text)}</span>')
        elif op == DELETE:
            out.append(f'<span class="deleted" style="{DELETED_STYLE}">{escape(text)}</span>')
        else:
            out.append(escape(text))
    return " ".join(out)


def _recurs_in_html(text: str, rows: Sequence[RecurrenceRow]) -> list[str]:
    """The "Recurs in" section: other reports' recommendations that repeat or revise this one."""
    if not rows:
        return []
    html = [f'<h3>Recurs in ({len(rows)})</h3>']
    for row in rows:
        when = f" ({row.other_start_date:%Y})" if row.other_start_date else ""
        target = link("rec", f"Recommendation {row.other_number}", row.other_id,
                      title="Show this recommendation of the other report")
        kind = "repeated word for word" if row.identical else "revised"
        html.append(f'<p class="recurs">{target} · {escape(row.other_document_title)}{escape(when)}'
                    f'<br><span class="meta">similarity {row.score:.2f} · {kind} · '
                    f'{"earlier" if row.earlier else "later"} report</span></p>')
        if not row.identical:
            old, new = (row.other_text, text) if row.earlier else (text, row.other_text)
            html.append(f'<p class="recurs">{_diff_html(old, new)}</p>')
    return html
