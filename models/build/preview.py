"""What an import would store, without storing it: `import --dry-run FILE`.

The file is read and sent through the whole import pipeline (parse, store,
cross-reference) into a scratch library in a temporary folder, which is then
thrown away, so the figures are exactly those a real import would give and the
delegate's library is not touched (not even locked).
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from models.build.importing import ReportImportError, read_report_file
from models.build.ingest import ingest_text
from models.db import schema
from models.db.library import open_library
from models.engines.remarks import ANONYMOUS, NO_SPEAKER
from models.parse import records
from models.parse.parser import parse_report

# A remark that names a speaker the import could not resolve: "The representative of the Group of ...".
_NAMES_A_SPEAKER = re.compile(
    r"^(?:[^,]{0,60},\s*)?(?:the\s+)?(?:first\s+|second\s+|third\s+)?"
    r"(?:representative|observer|panellist)s?\s+(?:of|for)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SectionPreview:
    label: str
    title: str
    depth: int  # 0 chapter, 1 section, 2 sub-section
    recommendations: int
    paragraphs: int


@dataclass(frozen=True)
class Preview:
    title: str
    symbol: str | None
    sections: tuple[SectionPreview, ...]
    recommendations: int
    sub_items: int
    paragraphs: int
    remarks: int
    speakers: dict[str, int]  # remark count per kind of speaker (panellist, chair, ..., anonymous, text)
    named_speakers: tuple[str, ...]  # panellists, Chair, Secretariat, delegations, by first remark
    unresolved: tuple[str, ...]  # remarks that name a speaker the import could not resolve (their openings)
    links: int
    participants: int
    notices: tuple[str, ...]
    warnings: tuple[str, ...]


def preview(path: Path | str) -> Preview:
    """The structure a report file would be stored with; `ReportImportError` when it would be refused."""
    path = Path(path)
    extracted = read_report_file(path)
    try:
        parsed = parse_report(extracted.text)
    except records.ReportFormatError as error:
        raise ReportImportError(path, f"{path.name} is not a report of this series: {error}.") from error
    with tempfile.TemporaryDirectory(prefix="xref-preview-") as folder:
        library = open_library(Path(folder) / "preview.sqlite")
        try:
            with library.begin() as session:
                document = ingest_text(
                    session, extracted.text, source_name=extracted.source_name, source_hash=extracted.source_hash, parsed=parsed
                )
                return _describe(session, document, parsed)
        finally:
            library.close()


def _describe(session, document: schema.Document, report: records.Report) -> Preview:
    recommendations = Counter(r.section for r in report.recommendations)
    paragraphs = Counter(p.section for p in report.paragraphs)

    def within(label: str, counts: Counter) -> int:
        return sum(n for section, n in counts.items() if section == label or section.startswith(label + "."))

    sections = tuple(
        SectionPreview(s.label, s.title, s.label.count("."), within(s.label, recommendations), within(s.label, paragraphs))
        for s in report.sections
    )
    remarks = list(
        session.scalars(
            select(schema.Remark)
            .where(schema.Remark.document_id == document.id)
            .order_by(schema.Remark.paragraph_id, schema.Remark.position)
        )
    )
    kinds = Counter(r.speaker_kind for r in remarks)
    named = tuple(dict.fromkeys(r.speaker_label for r in remarks if r.speaker_kind not in (ANONYMOUS, NO_SPEAKER)))
    unresolved = tuple(
        r.text[:80]
        for r in remarks
        if r.speaker_kind in (NO_SPEAKER, ANONYMOUS)
        and _NAMES_A_SPEAKER.search(r.text)
        and not re.match(r"(?i)(?:[^,]{0,60},\s*)?(?:one|another|some|several|a few|many)\b", r.text)
    )
    recommendation_ids = select(schema.Recommendation.id).where(schema.Recommendation.document_id == document.id)
    links = session.scalar(
        select(func.count(schema.Link.id)).where(schema.Link.recommendation_id.in_(recommendation_ids), schema.Link.shown)
    )
    return Preview(
        title=report.title,
        symbol=report.symbol,
        sections=sections,
        recommendations=len(report.recommendations),
        sub_items=sum(len(r.subitems) for r in report.recommendations),
        paragraphs=len(report.paragraphs),
        remarks=len(remarks),
        speakers=dict(kinds),
        named_speakers=named,
        unresolved=unresolved,
        links=links or 0,
        participants=len(report.participants),
        notices=report.notices,
        warnings=tuple(w for w in report.warnings if w not in report.notices),
    )


def format_preview(name: str, found: Preview) -> str:
    """The preview as text for a terminal, ending with a newline."""
    resolved = sum(n for kind, n in found.speakers.items() if kind not in (NO_SPEAKER,))
    lines = [
        f"{name}: {found.title}" + (f" ({found.symbol})" if found.symbol else ""),
        "would store (nothing has been imported):",
    ]
    for section in found.sections:
        counts = []
        if section.recommendations:
            counts.append(f"{section.recommendations} recommendations")
        if section.paragraphs:
            counts.append(f"{section.paragraphs} paragraphs")
        lines.append(
            f"  {'  ' * section.depth}{section.label}. {section.title[:70]}" + (f" — {', '.join(counts)}" if counts else "")
        )
    by_kind = ", ".join(f"{n} {kind}" for kind, n in sorted(found.speakers.items()))
    lines += [
        f"recommendations: {found.recommendations} ({found.sub_items} sub-items)",
        f"paragraphs: {found.paragraphs}",
        f"remarks: {found.remarks} ({by_kind})",
        f"speakers resolved: {resolved} remarks by {len(found.named_speakers)} named speakers"
        + (f" ({', '.join(found.named_speakers)})" if found.named_speakers else "")
        + " or anonymous speakers",
        f"speakers unresolved: {len(found.unresolved)}" + "".join(f"\n  {opening!r}" for opening in found.unresolved),
        f"links to remarks: {found.links}",
        f"participants: {found.participants}",
    ]
    lines += [f"note: {notice}" for notice in found.notices]
    lines += [f"warning: {warning}" for warning in found.warnings]
    return "\n".join(lines) + "\n"
