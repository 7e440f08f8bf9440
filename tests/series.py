"""What a report became in the library, in terms that survive a change of layout.

`observe` reads one imported document back: its recommendations, its deliberation
paragraphs, the speakers of every paragraph and the links shown, each named by
its text (not its number or label, which a layout changes), so a variant of the
shipped report can be compared with the shipped report item by item.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.db import schema

_MONTHS = "|".join(calendar.month_name[1:])


def masked(text: str) -> str:
    """Text with its dates and numbers masked, which other meetings of a series change."""
    return re.sub(r"\d+", "#", re.sub(rf"\b(?:{_MONTHS})\b", "<month>", text))


@dataclass(frozen=True)
class Observed:
    recommendations: tuple[tuple[str, str], ...]  # (section title, text), sub-items after their parent
    paragraphs: tuple[tuple[str, str], ...]  # deliberation paragraphs: (section title, text)
    speakers: dict[str, tuple[tuple[str, str], ...]]  # paragraph text -> (kind, speaker) of each remark
    links: dict[tuple[str, str], float]  # (recommendation text, paragraph text) -> best score, shown by default
    topics: dict[str, frozenset[str]]  # recommendation text -> topic keys

    @property
    def resolved(self) -> int:
        """Remarks with a named speaker (panellist, Chair, Secretariat, delegation) or an anonymous one."""
        return sum(kind != "text" for remarks in self.speakers.values() for kind, _ in remarks)


def observe(session: Session, document_key: str, normal: Callable[[str], str] = masked) -> Observed:
    document = session.scalar(select(schema.Document).where(schema.Document.key == document_key))
    sections = {s.id: s for s in session.scalars(select(schema.Section).where(schema.Section.document_id == document.id))}

    def chapter(section: schema.Section) -> schema.Section:
        while section.parent_id is not None:
            section = sections[section.parent_id]
        return section

    recommendations = list(
        session.scalars(
            select(schema.Recommendation)
            .where(schema.Recommendation.document_id == document.id)
            .order_by(schema.Recommendation.position)
        )
    )
    rec_text = {r.id: normal(r.text) for r in recommendations}
    paragraphs = list(
        session.scalars(
            select(schema.Paragraph).where(schema.Paragraph.document_id == document.id).order_by(schema.Paragraph.number)
        )
    )
    deliberations = [p for p in paragraphs if re.search(r"deliberation|discussion", chapter(sections[p.section_id]).title)]
    par_text = {p.id: normal(p.text) for p in paragraphs}
    speakers: dict[str, list[tuple[str, str]]] = {par_text[p.id]: [] for p in deliberations}
    remarks = session.scalars(
        select(schema.Remark)
        .where(schema.Remark.document_id == document.id)
        .order_by(schema.Remark.paragraph_id, schema.Remark.position)
    )
    remark_paragraph = {}
    for remark in remarks:
        remark_paragraph[remark.id] = remark.paragraph_id
        label = remark.quantifier if remark.speaker_kind == "anonymous" else remark.speaker_label
        speakers.setdefault(par_text[remark.paragraph_id], []).append((remark.speaker_kind, label or ""))
    links = session.execute(
        select(schema.Link.recommendation_id, schema.Link.remark_id, schema.Link.score).where(
            schema.Link.shown, schema.Link.recommendation_id.in_(rec_text)
        )
    )
    tags = session.execute(
        select(schema.TopicTag.recommendation_id, schema.Topic.key)
        .join(schema.Topic, schema.Topic.id == schema.TopicTag.topic_id)
        .where(schema.TopicTag.recommendation_id.in_(rec_text))
    )
    topics: dict[str, set[str]] = {}
    for rec_id, key in tags:
        topics.setdefault(rec_text[rec_id], set()).add(key)
    return Observed(
        recommendations=tuple((normal(sections[r.section_id].title), rec_text[r.id]) for r in recommendations),
        paragraphs=tuple((normal(sections[p.section_id].title), par_text[p.id]) for p in deliberations),
        speakers={text: tuple(found) for text, found in speakers.items()},
        links=_best(((rec_text[r], par_text[remark_paragraph[m]]), score) for r, m, score in links),
        topics={text: frozenset(keys) for text, keys in topics.items()},
    )


def _best(scored) -> dict[tuple[str, str], float]:
    best: dict[tuple[str, str], float] = {}
    for pair, score in scored:
        best[pair] = max(score, best.get(pair, 0.0))
    return best


def normaliser(group: str = "Firearms", protocol: str = "Firearms Protocol") -> Callable[[str], str]:
    """`masked`, after naming the group and its protocol as the shipped report does."""

    def normal(text: str) -> str:
        text = text.replace(f"Working Group on {group}", "Working Group on Firearms")
        return masked(text.replace(protocol, "Firearms Protocol"))

    return normal


def figures() -> str:
    """The README's table: each layout imported, compared with the shipped report (``python -m tests.series``)."""
    import tempfile
    from pathlib import Path

    from models.build.ingest import ingest_text
    from models.db.library import open_library
    from tests import report_variants as rv
    from tests.conftest import REPORT
    from tests.domain.test_series_layouts import SAME_CONTENT

    raw = REPORT.read_text(encoding="utf-8")

    def imported(text: str, normal: Callable[[str], str] = masked) -> tuple[Observed, int]:
        with tempfile.TemporaryDirectory() as folder:
            library = open_library(Path(folder) / "library.sqlite")
            try:
                with library.begin() as session:
                    document = ingest_text(session, text, source_name="variant.txt", source_hash="variant")
                    remarks = session.scalar(select(func.count(schema.Remark.id)).where(schema.Remark.document_id == document.id))
                    return observe(session, document.key, normal), remarks
            finally:
                library.close()

    shipped, _remarks = imported(raw)
    layouts = [
        ("the shipped report (2021)", raw, masked),
        *((name, build(raw), masked) for name, build in SAME_CONTENT.items()),
        ("no panel: anonymous speakers and named States", rv.without_panel(raw), lambda text: masked(rv.anonymous_again(text))),
    ]
    layouts += [
        (
            f"Working Group on {group} (+{len(rv.GROUP_RECOMMENDATIONS[group])} recommendations)",
            rv.group_report(raw, group),
            normaliser(group),
        )
        for group in rv.GROUPS
    ]
    rows = [
        "| layout | recommendations and sub-items | deliberation paragraphs | remarks | with a speaker | "
        "paragraphs whose speakers match | links shown (pairs) | links as in the shipped report |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, text, normal in layouts:
        found, remarks = imported(text, normal)
        same = sum(found.speakers.get(t) == s for t, s in shipped.speakers.items())
        common = len(set(found.links) & set(shipped.links))
        rows.append(
            f"| {name} | {len(found.recommendations)} | {len(found.paragraphs)} | {remarks} | {found.resolved} | "
            f"{same} of {len(shipped.speakers)} | {len(found.links)} | {common} of {len(shipped.links)} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(figures())
