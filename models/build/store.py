"""Writing a parsed report into the corpus tables.

`store_report` is the bulk writer for one document. It runs inside the caller's
transaction, so a failure anywhere leaves the library as it was.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from models.db import schema
from models.parse import records


def document_key(report: records.Report) -> str:
    """A stable key for a report: its meeting and first day, independent of the file.

    The same report imported from TXT, PDF or DOCX gets the same key, which is
    what user annotations hang on.
    """
    title = unicodedata.normalize("NFKD", report.title).encode("ascii", "ignore").decode()
    match = re.search(r"meeting of (?:the )?(.+?)(?: held\b|,|$)", title, flags=re.IGNORECASE)
    name = match.group(1) if match else title
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80]
    when = report.start_date.isoformat() if report.start_date else "undated"
    return f"{slug}/{when}"


def delete_document(session: Session, document: schema.Document) -> None:
    """Remove a document's corpus rows (user tables are keyed apart and stay)."""
    for table in ("recommendation_fts", "remark_fts", "paragraph_fts"):
        source = table.removesuffix("_fts")
        session.execute(
            text(f"DELETE FROM {table} WHERE rowid IN (SELECT id FROM {source} WHERE document_id = :d)"),
            {"d": document.id},
        )
    session.execute(delete(schema.Document).where(schema.Document.id == document.id))
    session.flush()


@dataclass(frozen=True)
class StoredReport:
    """A report just stored: its document row, and the ids its parts got."""

    document: schema.Document
    paragraphs: dict[int, int]  # paragraph number -> id
    recommendations: list[int]  # recommendations and sub-items in reading order (`enrich.recommendation_entries`)
    agenda_items: dict[str, int]  # agenda item number -> id
    participants: list[int]  # in the report's order


def store_report(session: Session, report: records.Report, *, source_name: str, source_hash: str) -> StoredReport:
    """Insert ``report`` as a new document (flushed, with ids)."""
    position = session.scalar(select(schema.Document.position).order_by(schema.Document.position.desc()))
    document = schema.Document(
        key=document_key(report),
        title=report.title,
        symbol=report.symbol,
        place=report.place,
        start_date=report.start_date,
        end_date=report.end_date,
        source_name=source_name,
        source_hash=source_hash,
        position=(position + 1) if position is not None else 0,
    )
    session.add(document)
    session.flush()

    sections: dict[str, schema.Section] = {}
    for section in report.sections:
        row = schema.Section(
            document_id=document.id,
            parent_id=sections[section.parent].id if section.parent else None,
            label=section.label,
            title=section.title,
            position=section.order,
        )
        session.add(row)
        session.flush()
        sections[section.label] = row

    paragraphs: dict[int, schema.Paragraph] = {}
    for paragraph in report.paragraphs:
        row = schema.Paragraph(
            document_id=document.id,
            section_id=sections[paragraph.section].id,
            number=paragraph.number,
            text=paragraph.text,
        )
        session.add(row)
        paragraphs[paragraph.number] = row

    position, recommendation_rows = 0, []
    for recommendation in report.recommendations:
        parent = schema.Recommendation(
            document_id=document.id,
            section_id=sections[recommendation.section].id,
            number=str(recommendation.number),
            ordinal=recommendation.number,
            position=position,
            text=recommendation.text,
        )
        session.add(parent)
        session.flush()
        recommendation_rows.append(parent)
        position += 1
        for sub in recommendation.subitems:
            recommendation_rows.append(
                schema.Recommendation(
                    document_id=document.id,
                    section_id=parent.section_id,
                    parent_id=parent.id,
                    number=f"{recommendation.number}{sub.letter}",
                    ordinal=recommendation.number,
                    letter=sub.letter,
                    position=position,
                    text=sub.text,
                )
            )
            session.add(recommendation_rows[-1])
            position += 1

    agenda: dict[str, schema.AgendaItem] = {}
    for index, item in enumerate(report.agenda_items):
        row = schema.AgendaItem(
            document_id=document.id,
            parent_id=agenda[item.parent].id if item.parent else None,
            number=item.number,
            title=item.title,
            position=index,
        )
        session.add(row)
        session.flush()
        agenda[item.number] = row

    by_name: dict[str, schema.Participant] = {}
    participant_rows = []
    for index, participant in enumerate(report.participants):
        row = schema.Participant(
            document_id=document.id,
            name=participant.name,
            kind=participant.kind,
            state=participant.state,
            group_name=participant.group,
            function=participant.function,
            affiliation=participant.affiliation,
            position=index,
            seats=[
                schema.PanelSeat(agenda_item=agenda[seat.agenda_item], position=seat.order, group_name=seat.group)
                for seat in participant.seats
                if seat.agenda_item in agenda
            ],
        )
        session.add(row)
        participant_rows.append(row)
        by_name.setdefault(participant.name, row)
    session.flush()

    for statement in report.statements:
        if statement.agenda_item not in agenda or statement.paragraph not in paragraphs:
            continue
        speaker = by_name.get(statement.name)
        session.add(
            schema.Statement(
                document_id=document.id,
                agenda_item_id=agenda[statement.agenda_item].id,
                participant_id=speaker.id if speaker else None,
                paragraph_id=paragraphs[statement.paragraph].id,
                name=statement.name,
                capacity=statement.capacity,
            )
        )
    for reference in report.references:
        if reference.paragraph in paragraphs:
            session.add(
                schema.DocumentReference(
                    document_id=document.id,
                    paragraph_id=paragraphs[reference.paragraph].id,
                    symbol=reference.symbol,
                    description=reference.description,
                )
            )
    for footnote in report.footnotes:
        if footnote.paragraph in paragraphs:
            session.add(
                schema.Footnote(
                    document_id=document.id,
                    paragraph_id=paragraphs[footnote.paragraph].id,
                    marker=footnote.marker,
                    text=footnote.text,
                )
            )
    session.flush()
    return StoredReport(
        document,
        {number: row.id for number, row in paragraphs.items()},
        [row.id for row in recommendation_rows],
        {number: row.id for number, row in agenda.items()},
        [row.id for row in participant_rows],
    )
