"""Write a `Briefing` as CSV: one row per recommendation, or one row per link behind one.

The column tuples are an interface people script against: add new columns at the
end if ever needed, never rename or reorder one. The file is UTF-8 with a BOM so
that Excel reads non-Latin text, and cells a spreadsheet would run as a formula
are guarded by `models.csvio.write_csv` (`models.csvio.read_csv` gives the text back).

Lists inside a cell are joined with ";" (topic keys, speakers, paragraph numbers)
or, for sub-items and notes whose text may hold semicolons, with a line break.
A sub-item's own annotations are on its recommendation's row, each prefixed with
its label: "47f: oppose" in ``subitem_positions``, "47f: the note" in ``subitem_notes``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from models.briefing.contents import Briefing, BriefingLink, EmptyBriefingError, subitem_marker
from models.csvio import write_csv

RECOMMENDATION_COLUMNS = (
    "document",
    "number",
    "section",
    "text",
    "subitems",
    "topics",
    "position",
    "priority",
    "note",
    "remarks",
    "speakers",
    "paragraphs",
    "subitem_positions",
    "subitem_priorities",
    "subitem_notes",
    "selected",
)
LINK_COLUMNS = ("document", "recommendation", "paragraph", "speaker", "group", "score", "source", "remark")
PER = ("recommendation", "link")

Row = dict[str, object]


def briefing_recommendation_rows(briefing: Briefing) -> Iterator[Row]:
    """One row per item, in the briefing's order (the grouping does not repeat items)."""
    for item in briefing.items:
        subitems = []
        for label, text in item.subitems:
            marker = subitem_marker(item.number, label)
            subitems.append(f"{marker} {text}" if marker else text)
        yield {
            "document": item.document_key,
            "number": item.number,
            "section": item.section,
            "text": item.text,
            "subitems": "\n".join(subitems),
            "topics": ";".join(dict.fromkeys(key for key, _ in item.topics)),
            "position": item.position or "",
            "priority": "yes" if item.priority else "no",
            "note": item.note or "",
            "remarks": len(item.remarks),
            "speakers": ";".join(dict.fromkeys(remark.speaker for remark in item.remarks if remark.speaker)),
            "paragraphs": ";".join(str(number) for number in sorted({remark.paragraph for remark in item.remarks})),
            "subitem_positions": ";".join(f"{sub.label}: {sub.position}" for sub in item.subitem_annotations if sub.position),
            "subitem_priorities": ";".join(sub.label for sub in item.subitem_annotations if sub.priority),
            "subitem_notes": "\n".join(f"{sub.label}: {sub.note}" for sub in item.subitem_annotations if sub.note),
            "selected": ";".join(item.selected),
        }


def briefing_link_rows(briefing: Briefing) -> Iterator[Row]:
    """One row per link behind an item: per recommendation or sub-item ("47f") and remark, with that
    link's score, as the `links` export has them; items without remarks give no row. An item made
    without `BriefingItem.links` gives its remarks under its own number."""
    for item in briefing.items:
        links = item.links or [BriefingLink(item.number, remark) for remark in item.remarks]
        for number, remark in ((link.recommendation, link.remark) for link in links):
            yield {
                "document": item.document_key,
                "recommendation": number,
                "paragraph": remark.paragraph,
                "speaker": remark.speaker,
                "group": remark.group or "",
                "score": f"{remark.score:.3f}",
                "source": remark.source,
                "remark": remark.text,
            }


def write_briefing_csv(briefing: Briefing, stream: IO[str], *, per: str = "recommendation", bom: bool = True) -> int:
    """Write the briefing to ``stream`` (text, opened with ``newline=""``); return the number of rows.

    ``per`` is "recommendation" (`RECOMMENDATION_COLUMNS`) or "link" (`LINK_COLUMNS`).
    ``bom``: start with a UTF-8 byte order mark, as every CSV file we write does (not standard output).
    A briefing without items raises `EmptyBriefingError`, as the Word export does.
    """
    if per == "recommendation":
        rows, columns = briefing_recommendation_rows(briefing), RECOMMENDATION_COLUMNS
    elif per == "link":
        rows, columns = briefing_link_rows(briefing), LINK_COLUMNS
    else:
        raise ValueError(f"Unknown CSV layout {per!r}; expected one of {', '.join(PER)}.")
    if not briefing.items:
        raise EmptyBriefingError()
    return write_csv(rows, columns, stream, bom=bom)
