"""What a briefing holds: the recommendations a delegate selected and the remarks behind them.

These frozen dataclasses are the contract between the database side (which fills
them from a selection, a search or a collection) and the writers
(`models.briefing.word`, `models.briefing.spreadsheet`). Writers take a `Briefing` and never
reach the database, so they can be tested with text alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.annotations.common import POSITION_LABELS

if TYPE_CHECKING:
    from models.queries.overview import Matrix

GROUPINGS = ("section", "topic", "none")

OTHER_RECOMMENDATIONS = "Other recommendations"
ALL_RECOMMENDATIONS = "Recommendations"


class EmptyBriefingError(ValueError):
    """The briefing has no recommendation, so there is nothing to write."""

    def __init__(self, message: str = "Nothing to export: the selection is empty.") -> None:
        super().__init__(message)


class ExportCancelled(Exception):
    """The user cancelled an export; nothing was written at the destination."""


@dataclass(frozen=True)
class BriefingRemark:
    """One remark behind a recommendation.

    ``group`` is the regional group or function the speaker spoke for, or None
    when there is none (e.g. ``speaker`` "one speaker"). ``paragraph`` is the
    paragraph number in the report; ``source`` is "automatic" or "curated".
    """

    speaker: str
    group: str | None
    paragraph: int
    text: str
    score: float
    source: str


@dataclass(frozen=True)
class BriefingLink:
    """One link behind an item: the recommendation or sub-item linked ("47", "47f") and the remark.

    A remark behind several sub-items is one link for each, with each link's own score.
    """

    recommendation: str
    remark: BriefingRemark


@dataclass(frozen=True)
class SubItemAnnotations:
    """The delegation's annotations on one sub-item ("47f"), kept apart from its recommendation's:
    annotations are keyed by number, so "47f" carries its own note, position and priority."""

    label: str  # "47f"
    position: str | None = None
    note: str | None = None
    priority: bool = False


@dataclass(frozen=True)
class BriefingItem:
    """A recommendation as the delegate sees it, with the delegation's annotations.

    ``number`` is the recommendation's number ("18", "47"); ``subitems`` are
    (label, text) pairs such as ("47a", "Addressing ..."); ``topics`` are
    (key, label) pairs; ``position`` is one of `models.annotations.POSITIONS` or None.
    ``subitem_annotations`` are those of its sub-items that carry one, in sub-item order;
    ``selected`` names the sub-items the selection held by themselves ("47g" in a collection),
    the briefing still printing the whole recommendation. ``remarks`` holds each remark behind the
    recommendation or any sub-item once (as Word prints them); ``links`` holds one `BriefingLink`
    per recommendation or sub-item and remark, as the links export has them.
    """

    document_key: str
    number: str
    section: str
    section_title: str
    text: str
    subitems: tuple[tuple[str, str], ...] = ()
    topics: tuple[tuple[str, str], ...] = ()
    position: str | None = None
    note: str | None = None
    priority: bool = False
    remarks: tuple[BriefingRemark, ...] = ()
    subitem_annotations: tuple[SubItemAnnotations, ...] = ()
    selected: tuple[str, ...] = ()
    links: tuple[BriefingLink, ...] = ()

    def annotations_of(self, label: str) -> SubItemAnnotations | None:
        """The annotations of the sub-item ``label`` ("47f"), or None when it has none."""
        return next((found for found in self.subitem_annotations if found.label == label), None)


@dataclass(frozen=True)
class MentionEntry:
    """A line of the briefing's index of mentions: a thing named and the recommendations naming it
    (in their text or in a remark behind them). ``kind`` is the group's heading ("Organisations")."""

    kind: str
    key: str  # "Firearms Protocol art. 10", "INTERPOL"
    label: str  # the full name
    recommendations: tuple[str, ...]  # "4", "47j"


@dataclass(frozen=True)
class Briefing:
    """A whole briefing. ``grouping`` is "section", "topic" or "none" (keep the items' order);
    ``mentions`` is the index of mentions written at the end, by kind then name."""

    title: str
    meeting: str
    symbol: str | None
    generated: datetime.date
    filters: tuple[str, ...]
    grouping: str
    items: tuple[BriefingItem, ...]
    mentions: tuple[MentionEntry, ...] = ()
    at_a_glance: tuple[Matrix, ...] = ()  # the Overview's matrices for these items ("At a glance"), if asked for
    topics: tuple[str, ...] = ()  # the topic keys the selection asked for: grouped by topic, only these are headings


@dataclass(frozen=True)
class SeeAlso:
    """A recommendation printed in full under another heading of the briefing: one line points there."""

    item: BriefingItem
    heading: str

    def line(self) -> str:
        return f"Recommendation {self.item.number} \u2014 see under {self.heading}"


def section_heading(item: BriefingItem) -> str:
    """ "II.B. Recommendations on ..." from the section's label and title (either may be empty)."""
    label = item.section.strip().rstrip(".")
    title = item.section_title.strip()
    if label and title:
        return f"{label}. {title}"
    return label or title or OTHER_RECOMMENDATIONS


def subitem_marker(number: str, label: str) -> str:
    """ "(a)" for the sub-item "47a" of recommendation "47" (also "47(a)", "a", "(a)")."""
    letter = label[len(number) :] if number and label.startswith(number) else label
    letter = letter.strip().strip("().").strip()
    return f"({letter})" if letter else ""


def subitem_annotation_lines(item: BriefingItem, label: str) -> list[tuple[str, str]]:
    """("Position (f):", "Oppose") ... for the sub-item ``label``: the lines every writer puts under its line."""
    found = item.annotations_of(label)
    if found is None:
        return []
    marker = subitem_marker(item.number, label)
    suffix = f" {marker}" if marker else ""
    position = POSITION_LABELS.get(found.position, found.position) if found.position else None
    lines = (("Priority", "yes" if found.priority else None), ("Position", position), ("Note", found.note))
    return [(f"{name}{suffix}:", value) for name, value in lines if value]


def selected_line(item: BriefingItem) -> str:
    """ "sub-item (g) only (in bold)", "sub-items (f), (g) only (in bold)": what the selection held of a recommendation it prints whole."""
    markers = [subitem_marker(item.number, label) or label for label in item.selected]
    return f"sub-item{'s' if len(markers) > 1 else ''} {', '.join(markers)} only (in bold)"


def group_items(briefing: Briefing) -> list[tuple[str, list[BriefingItem | SeeAlso]]]:
    """(heading, entries) per group, in the order a reader meets them; each item is printed in full once.

    - "section": one group per section, in order of first appearance; when the
      briefing spans several documents the heading names the document.
    - "topic": one group per topic in order of first appearance. When the selection named topics
      (``briefing.topics``) only those are headings; otherwise an item with several topics is
      in full under its first and a `SeeAlso` line under each other. Items with none of the
      headings' topics come under "Other recommendations" (last).
    - "none": a single "Recommendations" group in the given order.
    """
    items = briefing.items
    if briefing.grouping == "none":
        return [(ALL_RECOMMENDATIONS, list(items))] if items else []
    if briefing.grouping == "section":
        several_documents = len({item.document_key for item in items}) > 1
        groups: dict[tuple[str, str], tuple[str, list[BriefingItem | SeeAlso]]] = {}
        for item in items:
            key = (item.document_key, item.section)
            if key not in groups:
                heading = section_heading(item)
                if several_documents:
                    heading = f"{heading} ({item.document_key})"
                groups[key] = (heading, [])
            groups[key][1].append(item)
        return list(groups.values())
    if briefing.grouping == "topic":
        wanted = set(briefing.topics)
        by_topic: dict[str, tuple[str, list[BriefingItem | SeeAlso]]] = {}
        others: list[BriefingItem | SeeAlso] = []
        for item in items:
            seen: set[str] = set()
            first: str | None = None  # the heading the item is printed in full under
            for key, label in item.topics:
                if key in seen or (wanted and key not in wanted):
                    continue
                seen.add(key)
                heading, entries = by_topic.setdefault(key, (label or key, []))
                entries.append(item if first is None else SeeAlso(item, first))
                first = first or heading
            if first is None:
                others.append(item)
        result = list(by_topic.values())
        if others:
            result.append((OTHER_RECOMMENDATIONS, others))
        return result
    raise ValueError(f"Unknown grouping {briefing.grouping!r}; expected one of {', '.join(GROUPINGS)}.")
