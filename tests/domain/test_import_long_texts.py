"""Long texts: an annex, a second copy of the report, text glued on; time, Cancel, and the dry run."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from models.build.importing import ImportCancelled, import_report, import_reports
from models.cli.commands import main
from models.db.library import open_library
from models.parse.parser import parse_report
from tests import report_variants as rv


def _without_notices(report):
    return dataclasses.replace(report, notices=(), warnings=tuple(w for w in report.warnings if w not in report.notices))


def test_an_annex_is_recognised_left_out_and_reported(report_text, parsed_report):
    report = parse_report(rv.with_annex(report_text))
    assert _without_notices(report) == parsed_report
    assert report.notices == ("an annex after the report is not imported (389,200 characters from 'Annex')",)


def test_a_report_repeated_nine_times_is_imported_once_and_reported(report_text, parsed_report):
    report = parse_report(rv.repeated(report_text, 9))
    assert _without_notices(report) == parsed_report
    [notice] = report.notices
    assert notice.startswith("the text holds the report again from 'Report on the meeting of the Working Group")
    assert "only the first copy is imported" in notice


def test_text_glued_onto_the_last_paragraph_is_reported(report_text, parsed_report):
    report = parse_report(rv.with_annex(report_text, heading=None))
    assert [p.number for p in report.paragraphs] == [p.number for p in parsed_report.paragraphs]
    assert report.recommendations == parsed_report.recommendations
    [notice] = report.notices
    assert notice.startswith("paragraph 57 runs on for ")
    assert notice.endswith("characters: text after the report may be glued onto it")


def _import_seconds(path, folder) -> float:
    best = float("inf")
    for attempt in range(2):
        library = open_library(folder / f"{path.stem}-{time.perf_counter_ns()}-{attempt}.sqlite")
        try:
            start = time.perf_counter()
            import_report(library, path)
            best = min(best, time.perf_counter() - start)
        finally:
            library.close()
    return best


def test_a_report_with_a_400_kb_annex_imports_within_three_times_the_plain_report(report_text, tmp_path):
    plain, annexed = tmp_path / "plain.txt", tmp_path / "annexed.txt"
    plain.write_text(report_text, encoding="utf-8")
    annexed.write_text(rv.with_annex(report_text, 400_000), encoding="utf-8")
    assert annexed.stat().st_size - plain.stat().st_size >= 400_000
    _import_seconds(plain, tmp_path)  # word list and lexicon loaded before anything is timed
    ratio = _import_seconds(annexed, tmp_path) / _import_seconds(plain, tmp_path)
    assert ratio < 3, f"{ratio:.1f}x the plain report"


@pytest.mark.parametrize("heading", ["Annex", None], ids=["annex", "glued on"])
def test_cancel_takes_effect_within_half_a_second(report_text, tmp_path, heading):
    path = tmp_path / "long.txt"
    path.write_text(rv.with_annex(report_text, 1_000_000, heading), encoding="utf-8")
    library = open_library(tmp_path / "library.sqlite")
    asked = threading.Event()
    asked_at: list[float] = []

    def progress(step: str, _fraction: float) -> None:
        if "Parsing" in step and not asked_at:

            def ask() -> None:
                asked_at.append(time.perf_counter())
                asked.set()

            threading.Timer(0.05, ask).start()

    try:
        with pytest.raises(ImportCancelled):
            import_reports(library, [path], progress=progress, cancelled=asked.is_set)
        latency = time.perf_counter() - asked_at[0]
        with library.sessions() as session:
            from sqlalchemy import func, select

            from models.db import schema

            assert session.scalar(select(func.count(schema.Document.id))) == 0
    finally:
        library.close()
    assert latency < 0.5, f"{latency:.2f} s"


def test_dry_run_prints_the_structure_and_imports_nothing(report_text, tmp_path, capsys):
    path = tmp_path / "older.txt"
    path.write_text(rv.with_annex(rv.older_layout(report_text)), encoding="utf-8")
    db = tmp_path / "library.sqlite"
    assert main(["--db", str(db), "import", "--dry-run", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "would store (nothing has been imported):"
    assert "  II. Recommendations adopted by the Working Group — 47 recommendations, 48 paragraphs" in out
    assert "      II.A.1. General recommendations — 4 recommendations, 4 paragraphs" in out
    assert "recommendations: 47 (13 sub-items)" in out
    assert "paragraphs: 104" in out
    assert out[out.index("paragraphs: 104") + 1].startswith("remarks: 53 (33 anonymous, 2 chair, 8 panellist, 2 secretariat")
    assert "speakers unresolved: 0" in out
    assert any(line.startswith("note: an annex after the report is not imported (") for line in out)
    assert not db.exists()  # the library is not even opened


def test_dry_run_says_what_it_found_in_a_layout_it_does_not_understand(report_text, tmp_path, capsys):
    import re

    path = tmp_path / "unnumbered.txt"
    path.write_text(re.sub(r"(?m)^\s*Recommendation \d+\s*$", "", report_text), encoding="utf-8")
    assert main(["--db", str(tmp_path / "library.sqlite"), "import", "--dry-run", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "xref-explorer: unnumbered.txt is not a report of this series: chapter II found, 0 recommendations recognised"
    )
    assert "first lines: 'At its meeting held in Vienna from 10 to 12 May 2021" in err
