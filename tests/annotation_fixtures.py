"""A small hand-made report and helpers shared by the annotation tests (no parser involved)."""

from __future__ import annotations

import datetime as dt

from models.build.store import document_key, store_report
from models.parse import records

REPORT = records.Report(
    title="Report on the meeting of the Working Group on Firearms held in Vienna on 4 and 5 May 2021",
    symbol="CTOC/COP/WG.6/2021/4",
    place="Vienna",
    start_date=dt.date(2021, 5, 4),
    end_date=dt.date(2021, 5, 5),
    sections=(
        records.Section("I", "Recommendations", None, 0),
        records.Section("I.A", "Marking and record-keeping", "I", 1),
        records.Section("II", "Summary of deliberations", None, 2),
    ),
    paragraphs=(
        records.Paragraph(1, "I.A", "States should mark firearms at the time of manufacture."),
        records.Paragraph(2, "I.A", "States could consider: (a) record-keeping; (b) deactivation."),
        records.Paragraph(12, "II", "One speaker said that marking matters. Another speaker disagreed."),
    ),
    recommendations=(
        records.Recommendation(1, "I.A", "States should mark firearms at the time of manufacture."),
        records.Recommendation(
            2,
            "I.A",
            "States could consider:",
            subitems=(records.SubItem("a", "Record-keeping"), records.SubItem("b", "Deactivation")),
        ),
        records.Recommendation(3, "I.A", "States are encouraged to exchange information."),
    ),
    agenda_items=(records.AgendaItem("1", "Opening of the meeting"),),
    participants=(),
)
DOC = document_key(REPORT)
R1, R2, R2A, R2B, R3 = ((DOC, n) for n in ("1", "2", "2a", "2b", "3"))


def store(session) -> None:
    store_report(session, REPORT, source_name="wg-firearms-2021.txt", source_hash="0" * 64)
