"""The recommendation table's columns, defined in one place.

Each column says what its header reads, which SQL sort key orders it
(`models.queries.filters.SORT_KEYS`, None when it cannot be sorted), how to show a
`RecommendationRow`, and which delegate paints it. To add a column (the coming
"annotations" column, say), add the data to `RecommendationRow` (fetched per page
in `models.queries.corpus.recommendation_rows`, never per row) and append a `Column` here;
the model, the view and the saved header state follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt

from models.queries.corpus import RecommendationRow


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sort_key: str | None
    display: Callable[[RecommendationRow], object]
    tooltip: Callable[[RecommendationRow], str] | None = None
    alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    width: int = 80
    delegate: str | None = None  # "topics": painted as chips by TopicChipDelegate
    header_tooltip: str = ""


def _elide(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_POSITION_MARKS = {"support": "✓", "oppose": "✗", "neutral": "○", "needs_instructions": "?"}


def _markers(row: RecommendationRow) -> str:
    """The delegate's marks, compactly: ★ priority, ✎ note, position (✓ ✗ ○ ?), ▤ collections, # tags, ◆ links."""
    m = row.markers
    parts = ["★"] if m.priority else []
    if m.note:
        parts.append("✎")
    if m.position:
        parts.append(_POSITION_MARKS.get(m.position, m.position))
    if m.collection_ids:
        parts.append(f"▤{len(m.collection_ids)}")
    if m.tag_ids:
        parts.append(f"#{len(m.tag_ids)}")
    if m.curated_links:
        parts.append(f"◆{m.curated_links}")
    return " ".join(parts)


def _markers_tooltip(row: RecommendationRow) -> str:
    m = row.markers
    lines = (["Priority"] if m.priority else []) + (["Has a note"] if m.note else [])
    if m.position:
        lines.append(f"Position: {m.position.replace('_', ' ')}")
    if m.collection_ids:
        lines.append(f"In {len(m.collection_ids)} collection{'s' if len(m.collection_ids) > 1 else ''}")
    if m.tag_ids:
        lines.append(f"{len(m.tag_ids)} tag{'s' if len(m.tag_ids) > 1 else ''}")
    if m.highlights:
        lines.append(f"{m.highlights} highlight{'s' if m.highlights > 1 else ''}")
    if m.curated_links:
        lines.append(f"{m.curated_links} curated link{'s' if m.curated_links > 1 else ''}")
    return "\n".join(lines) or "No annotation"


def _number(row: RecommendationRow) -> str:
    return f"{row.number} (+{row.sub_item_count})" if row.sub_item_count else row.number


_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

RECOMMENDATION_COLUMNS: tuple[Column, ...] = (
    Column(
        "number", "No.", "number", _number, width=56, header_tooltip="Recommendation number; (+n) counts its lettered sub-items"
    ),
    Column(
        "section",
        "Section",
        "section",
        lambda row: row.section_label,
        tooltip=lambda row: f"{row.section_label}. {row.section_title}",
        width=58,
    ),
    Column("text", "Recommendation", "text", lambda row: _elide(row.text), tooltip=lambda row: row.text, width=420),
    Column(
        "topics",
        "Topics",
        "topics",
        lambda row: ", ".join(chip.label for chip in row.topics),
        tooltip=lambda row: "\n".join(chip.label for chip in row.topics),
        width=150,
        delegate="topics",
    ),
    Column(
        "remarks",
        "Remarks",
        "remarks",
        lambda row: row.remark_count,
        alignment=_RIGHT,
        width=66,
        header_tooltip="Remarks behind the recommendation (shown links, sub-items included)",
    ),
    Column(
        "speakers",
        "Speakers",
        "speakers",
        lambda row: row.speaker_count,
        alignment=_RIGHT,
        width=70,
        header_tooltip="Distinct speakers of those remarks (each unnamed speaker counts once)",
    ),
    Column(
        "annotations",
        "Marks",
        None,
        _markers,
        tooltip=_markers_tooltip,
        width=76,
        header_tooltip="Your annotations: ★ priority, ✎ note, position (✓ support, ✗ oppose, ○ neutral, "
        "? needs instructions), ▤ collections, # tags, ◆ curated links",
    ),
)


def column_index(key: str, columns: tuple[Column, ...] = RECOMMENDATION_COLUMNS) -> int:
    return next(i for i, column in enumerate(columns) if column.key == key)
