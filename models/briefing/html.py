"""A `Briefing` as simple HTML, and recommendation rows as a table for the clipboard.

`briefing_html` is what the explorer prints and saves as PDF (through a
QTextDocument), so it keeps to the HTML subset Qt's rich text understands: headings,
paragraphs, lists, blockquotes, <b>/<i> and inline styles. It follows the Word
export (`models.briefing.word`): the same groups, headings and remark attributions
("Speaker, Group (para. 9):"). Pure functions: text in, text out.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from models.annotations import POSITION_LABELS
from models.briefing.contents import (
    Briefing,
    BriefingItem,
    BriefingRemark,
    SeeAlso,
    group_items,
    section_heading,
    selected_line,
    subitem_annotation_lines,
    subitem_marker,
)
from models.briefing.word import long_date
from models.queries.corpus import RecommendationRow

CSS = """
body { font-family: sans-serif; font-size: 10pt; color: #111827; }
h1 { font-size: 18pt; margin-bottom: 2px; }
h2 { font-size: 14pt; margin-top: 18px; border-bottom: 1px solid #999999; }
h3 { font-size: 11.5pt; margin-top: 12px; margin-bottom: 2px; }
p { margin-top: 0; margin-bottom: 5px; }
.meta { color: #4b5563; }
blockquote { margin-left: 18px; margin-right: 0; color: #374151; }
"""


def _labelled(label: str, text: str) -> str:
    return f"<p><b>{escape(label)}</b> {escape(text)}</p>"


def _remark(remark: BriefingRemark) -> str:
    who = remark.speaker.strip() or "Unattributed"
    if remark.group and remark.group.strip():
        who = f"{who}, {remark.group.strip()}"
    return f"<blockquote><b>{escape(who)} (para. {remark.paragraph}):</b> {escape(remark.text)}</blockquote>"


def _item(item: BriefingItem, *, show_section: bool) -> list[str]:
    out = [f"<h3>Recommendation {escape(item.number)}</h3>"]
    if show_section:
        out.append(_labelled("Section:", section_heading(item)))
    if item.priority:
        out.append(_labelled("Priority:", "yes"))
    if item.selected:
        out.append(_labelled("Selected:", selected_line(item)))
    out.append(f"<p>{escape(item.text)}</p>")
    if item.subitems:
        out.append("<ul>")
        for label, text in item.subitems:
            marker = subitem_marker(item.number, label)
            line = escape(f"{marker} {text}" if marker else text)
            out.append(f"<li>{f'<b>{line}</b>' if label in item.selected else line}{_subitem_annotations(item, label)}</li>")
        out.append("</ul>")
    if item.topics:
        out.append(_labelled("Topics:", "; ".join(label or key for key, label in item.topics)))
    if item.position:
        out.append(_labelled("Position:", POSITION_LABELS.get(item.position, item.position)))
    if item.note:
        out.append(_labelled("Note:", item.note))
    if item.remarks:
        count = len(item.remarks)
        out.append(_labelled("Remarks:", f"{count} remark{'s' if count != 1 else ''} behind this recommendation"))
        out.extend(_remark(remark) for remark in item.remarks)
    return out


def _subitem_annotations(item: BriefingItem, label: str) -> str:
    """The sub-item's own priority, position and note, as lines under it (as in the Word export)."""
    return "".join(f"<br><b>{escape(name)}</b> {escape(value)}" for name, value in subitem_annotation_lines(item, label))


def briefing_html(briefing: Briefing) -> str:
    """The whole briefing as one HTML document (title, meeting line, selection, groups, items)."""
    details = [briefing.meeting, briefing.symbol or "", long_date(briefing.generated)]
    filters = "; ".join(f for f in (f.strip() for f in briefing.filters) if f) or "all recommendations"
    body = [
        f"<h1>{escape(briefing.title)}</h1>",
        f'<p class="meta">{escape(" — ".join(d.strip() for d in details if d and d.strip()))}</p>',
        _labelled("Selection:", filters),
    ]
    show_section = briefing.grouping != "section"
    for heading, entries in group_items(briefing):
        body.append(f"<h2>{escape(heading)}</h2>")
        for entry in entries:
            if isinstance(entry, SeeAlso):
                body.append(f"<p>{escape(entry.line())}</p>")
            else:
                body.extend(_item(entry, show_section=show_section))
    return (
        f'<html><head><meta charset="utf-8"><title>{escape(briefing.title)}</title>'
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>"
    )


# --------------------------------------------------------------------------- clipboard

TABLE_HEADERS = ("Number", "Recommendation", "Topics")


def _cells(row: RecommendationRow) -> tuple[str, str, str]:
    return row.number, row.text, "; ".join(chip.label for chip in row.topics)


def recommendations_table_html(rows: Iterable[RecommendationRow]) -> str:
    """An HTML table (number, text, topics) that word processors and spreadsheets paste as a table."""
    head = "".join(f"<th>{escape(h)}</th>" for h in TABLE_HEADERS)
    lines = ["".join(f"<td>{escape(cell)}</td>" for cell in _cells(row)) for row in rows]
    body = "".join(f"<tr>{line}</tr>" for line in lines)
    return f'<table border="1" cellspacing="0" cellpadding="4"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def recommendations_text(rows: Iterable[RecommendationRow]) -> str:
    """Tab-separated lines (number, text, topics) with a header line; tabs and line breaks in cells become spaces."""

    def clean(cell: str) -> str:
        return " ".join(cell.replace("\t", " ").split())

    lines = ["\t".join(TABLE_HEADERS)]
    lines += ["\t".join(clean(cell) for cell in _cells(row)) for row in rows]
    return "\n".join(lines) + "\n"
