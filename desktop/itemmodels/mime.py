"""Drag payloads: the app's JSON ids (`models.annotations.drops.DropPayload`) plus text for other programs.

Recommendations travel as their stable keys under `MIME_TYPE`, and as a small
HTML table (number, text, topics) and tab-separated text so that a drop into a
word processor or a spreadsheet gives something readable. Never live objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QMimeData

from models.annotations.drops import MIME_TYPE, DropPayload
from models.queries.corpus import RecommendationRow

TEXT_PLAIN = "text/plain"
TEXT_HTML = "text/html"
MIME_TYPES = [MIME_TYPE, TEXT_HTML, TEXT_PLAIN]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _triples(rows: Sequence[RecommendationRow]) -> list[tuple[str, str, str]]:
    return [(row.number, row.text, ", ".join(chip.label for chip in row.topics)) for row in rows]


def table_html(triples: Sequence[tuple[str, str, str]]) -> str:
    """A small table (number, text, topics) that word processors and spreadsheets paste as a table."""
    lines = ['<table border="1" cellspacing="0" cellpadding="4">', "<tr><th>No.</th><th>Recommendation</th><th>Topics</th></tr>"]
    for number, text, topics in triples:
        lines.append(f"<tr><td>{escape(number)}</td><td>{escape(_one_line(text))}</td><td>{escape(topics)}</td></tr>")
    lines.append("</table>")
    return "\n".join(lines)


def table_tsv(triples: Sequence[tuple[str, str, str]]) -> str:
    """Tab-separated lines with a header, one per recommendation."""
    lines = ["No.\tRecommendation\tTopics"]
    lines += ["\t".join(_one_line(part).replace("\t", " ") for part in triple) for triple in triples]
    return "\n".join(lines) + "\n"


def recommendations_html(rows: Sequence[RecommendationRow]) -> str:
    return table_html(_triples(rows))


def recommendations_tsv(rows: Sequence[RecommendationRow]) -> str:
    return table_tsv(_triples(rows))


def payload_mime(payload: DropPayload, plain: str = "", html: str = "") -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME_TYPE, payload.to_json().encode("utf-8"))
    if plain:
        mime.setText(plain)
    if html:
        mime.setHtml(html)
    return mime


def recommendations_mime(payload: DropPayload, rows: Sequence[RecommendationRow]) -> QMimeData:
    return payload_mime(payload, recommendations_tsv(rows), recommendations_html(rows))


def payload_of(mime: QMimeData | None) -> DropPayload | None:
    """Our payload, or None for anything else (a drop from another program is refused, not an error)."""
    if mime is None or not mime.hasFormat(MIME_TYPE):
        return None
    return DropPayload.from_json(bytes(mime.data(MIME_TYPE).data()).decode("utf-8", "replace"))
