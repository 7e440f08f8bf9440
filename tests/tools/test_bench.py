"""The benchmark runs end to end on tiny libraries (figures are not checked: machines differ)."""

from __future__ import annotations

import json

import pytest

from models.bench.run import METRICS, keystroke_plan
from models.cli.commands import main


def test_keystroke_plan_types_queries_one_key_at_a_time():
    plan = keystroke_plan(10)
    assert len(plan) == 10
    assert plan[0] == (0, "f") and plan[1] == (0, "fi")


@pytest.mark.slow
def test_bench_writes_every_figure(tmp_path, capsys):
    out = tmp_path / "bench.json"
    status = main(
        [
            "bench",
            "--reports",
            "1",
            "3",
            "--keystrokes",
            "6",
            "--starts",
            "1",
            "--cache",
            str(tmp_path / "cache"),
            "--json",
            str(out),
        ]
    )
    assert status == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    for size in ("reports_1", "reports_3"):
        row = figures[size]
        for metric in METRICS:
            assert isinstance(row[metric], (int, float)) and row[metric] > 0, (size, metric, row[metric])
        assert row["keystroke_p95_ms"] >= row["keystroke_p50_ms"]
        assert row["first_paint_s"] < 60 and row["import_report_s"] < 60  # measured, not a timeout
        assert row["peak_rss_mb"] > 50  # a Qt process with a library open, read from the kernel
    assert figures["machine"]["logical_cores"] >= 1
    assert "keystroke_p95_ms" in capsys.readouterr().out


def test_a_library_copied_to_postgresql_holds_the_same_rows_and_finds_the_same(tmp_path, pg_cluster):
    """`bench --postgresql` measures a copy of the SQLite library made with COPY: row for row the same,
    and its full-text index (built once after the rows) finds what FTS5 finds."""
    from sqlalchemy import func, select

    from models.bench.shared import copy_to_server
    from models.bench.synth import synthesize
    from models.db.library import open_library
    from models.db.schema import Base
    from models.queries.filters import RecommendationFilter, filtered_ids
    from tests.conftest import new_pg_library_url

    path = tmp_path / "three.sqlite"
    synthesize(path, 3, 0)
    url = new_pg_library_url(pg_cluster)
    lines: list[str] = []
    copy_to_server(path, url, lines.append)
    assert lines and "recommendations" in lines[0]
    sqlite_library, pg_library = open_library(path), open_library(url)
    try:
        with sqlite_library.begin() as mine, pg_library.begin() as shared:
            for table in Base.metadata.sorted_tables:
                if table.name.endswith("_fts"):
                    continue
                count = select(func.count()).select_from(table)
                assert shared.scalar(count) == mine.scalar(count), table.name
            for query in ("marking", "firearms tracing", "illicit financial flows"):
                wanted = RecommendationFilter(text=query)
                assert filtered_ids(shared, wanted) and set(filtered_ids(shared, wanted)) == set(filtered_ids(mine, wanted))
    finally:
        sqlite_library.close()
        pg_library.close()


@pytest.mark.slow
def test_bench_on_postgresql_prints_both_engines(tmp_path, capsys, pg_cluster):
    from models.bench.run import POSTGRESQL_METRICS
    from tests.conftest import new_pg_library_url

    out = tmp_path / "bench.json"
    url = new_pg_library_url(pg_cluster)
    arguments = ["bench", "--reports", "3", "--keystrokes", "6", "--starts", "1", "--cache", str(tmp_path / "cache")]
    assert main([*arguments, "--json", str(out), "--postgresql", url]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))["postgresql_3"]
    for metric in POSTGRESQL_METRICS:
        if metric != "import_report_s":  # into an empty library: only on a throwaway cluster
            assert isinstance(figures[metric], (int, float)) and figures[metric] > 0, metric
    printed = capsys.readouterr().out
    assert "postgresql 3" in printed and "sqlite 3" in printed


def test_repaint_mode_times_a_screen_of_rows_for_each_search(tmp_path):
    """`python -m desktop.bench_gui repaint` draws the rows of real searches and reports the GUI thread's CPU time."""
    import os
    import shutil
    import subprocess
    import sys

    from models.paths import EMBEDDED_CORPUS

    library = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, library)
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "desktop.bench_gui", "repaint", "--db", str(library), "--keystrokes", "80"]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["repaint_searches"] > 0
    assert figures["repaint_rows_in_view"] >= 6  # the default window shows a screen of whole rows
    assert figures["repaint_again_cpu_p50_ms"] > 0
    assert 0 < figures["repaint_fresh_cpu_p50_ms"] <= figures["repaint_fresh_cpu_p95_ms"]
