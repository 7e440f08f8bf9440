"""An import reads and cross-references in one transaction and writes in another: what another program
changed in between is caught in the write (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.build.importing import import_reports
from models.build.ingest import DuplicateReportError, prepare_report, source_hash, write_report
from models.db import schema
from tests import report_variants
from tests.domain.test_import import dump

FIREARMS_2022 = "working-group-on-firearms/2022-05-03"


@pytest.fixture
def next_year(tmp_path, report_text):
    path = tmp_path / "wg-firearms-2022.txt"
    path.write_text(report_variants.firearms_2022(report_text), encoding="utf-8")
    return path


def _prepare(library, path):
    data = path.read_bytes()
    with library.begin() as session:
        return prepare_report(session, data.decode("utf-8"), source_name=path.name, source_hash=source_hash(data))


def test_a_report_another_program_imported_meanwhile_is_refused_at_the_write(library, next_year):
    prepared = _prepare(library, next_year)
    (imported,) = import_reports(library, [next_year]).imported  # another program, between the two transactions
    before = dump(library)
    with pytest.raises(DuplicateReportError) as raised, library.write() as session:
        write_report(session, prepared)
    assert raised.value.duplicate_of == imported.document_key == FIREARMS_2022
    assert dump(library) == before


def test_recurrences_are_found_again_when_the_library_changed_meanwhile(library, next_year, tmp_path, report_text):
    other = tmp_path / "wg-trafficking-2022.txt"
    other.write_text(report_variants.trafficking_2022(report_text), encoding="utf-8")
    prepared = _prepare(library, next_year)
    (imported,) = import_reports(library, [other]).imported  # another program, between the two transactions
    with library.write() as session:
        document = write_report(session, prepared)
    with library.begin() as session:
        rec = schema.Recommendation
        documents = dict(session.execute(select(rec.id, rec.document_id)).all())
        pairs = session.execute(
            select(schema.Recurrence.recommendation_id, schema.Recurrence.other_id).where(
                schema.Recurrence.recommendation_id.in_(select(rec.id).where(rec.document_id == document.id))
            )
        ).all()
        trafficking = session.scalar(select(schema.Document.id).where(schema.Document.key == imported.document_key))
    recurs_in = {documents[other_id] for _, other_id in pairs}
    assert trafficking in recurs_in  # the report imported meanwhile is compared with, too
    assert len(recurs_in) == 2 and len(pairs) > len(prepared.recurrences)
