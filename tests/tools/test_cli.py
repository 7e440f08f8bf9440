"""The command line: exports with their exact columns, search, build, and clear errors."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from models.cli.commands import main
from models.paths import EMBEDDED_CORPUS

COLUMNS = {
    "sections": ["document", "label", "title", "parent"],
    "recommendations": ["document", "number", "parent", "section", "text", "topics"],
    "paragraphs": ["document", "number", "section", "speakers", "text"],
    "participants": ["document", "name", "kind", "state", "group", "function", "agenda_items"],
    "links": ["document", "recommendation", "paragraph", "score", "source", "speakers", "evidence"],
}


@pytest.fixture
def db(tmp_path, engine_name, request) -> Path | str:
    """A copy of the shipped corpus: a file, or a database URL on the test PostgreSQL server."""
    if engine_name == "postgresql":
        from tests.conftest import new_pg_library_url

        return new_pg_library_url(request.getfixturevalue("pg_cluster"), request.getfixturevalue("pg_corpus_template"))
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    return path


def export(db, kind, capsys) -> list[dict[str, str]]:
    assert main(["--db", str(db), "export", kind, "--format", "csv"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_export_columns(db, kind, capsys):
    assert main(["--db", str(db), "export", kind, "--format", "csv"]) == 0
    header = next(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert header == COLUMNS[kind]


def test_sections_export(db, capsys):
    rows = export(db, "sections", capsys)
    chapters = [r["label"] for r in rows if not r["parent"]]
    assert chapters == ["I", "II", "III", "IV", "V"]
    sections = {r["label"]: r["parent"] for r in rows if r["parent"]}
    assert [s for s in sections if s.startswith("II.")] == ["II.A", "II.B", "II.C", "II.D"]
    assert [s for s in sections if s.startswith("III.")] == ["III.A", "III.B", "III.C", "III.D"]
    assert [s for s in sections if s.startswith("IV.")] == ["IV.A", "IV.B", "IV.C", "IV.D", "IV.E"]


def test_recommendations_export(db, capsys):
    rows = export(db, "recommendations", capsys)
    top = [r for r in rows if not r["parent"]]
    subs = [r for r in rows if r["parent"]]
    assert [r["number"] for r in top] == [str(n) for n in range(1, 48)]
    assert [r["number"] for r in subs] == ["46a", "46b"] + [f"47{c}" for c in "abcdefghijk"]
    assert {r["parent"] for r in subs} == {"46", "47"}
    by_number = {r["number"]: r for r in rows}
    assert by_number["4"]["text"].startswith("States should cooperate closely and exchange data and information")
    assert "International Criminal Police Organization" in by_number["4"]["text"]
    assert by_number["18"]["section"] == "II.B"
    assert "financial_flows" in by_number["18"]["topics"].split(";")


def test_participants_export(db, capsys):
    rows = export(db, "participants", capsys)
    panellists = [r for r in rows if r["kind"] == "panellist"]
    assert len(panellists) == 7
    adam = next(r for r in panellists if r["name"] == "Adam Mohammed")
    assert adam["agenda_items"] == "2;3" and adam["state"] == "Nigeria" and adam["group"] == "Group of African States"
    assert [r["name"] for r in rows if r["kind"] == "chair"] == ["Luis Javier Campuzano Piña"]
    assert {r["kind"] for r in rows} == {"panellist", "chair", "party", "signatory", "non_signatory", "igo", "un_entity"}


def test_links_export_shows_default_links(db, capsys):
    rows = export(db, "links", capsys)
    pair = next(r for r in rows if r["recommendation"] == "18" and r["paragraph"] == "9")
    assert pair["speakers"] == "Miguel Angel Fuentes Peniza"
    assert pair["source"] == "automatic"
    assert float(pair["score"]) > 0
    assert "cryptocurrencies" in pair["evidence"]


def test_export_to_file(db, tmp_path, capsys):
    out = tmp_path / "recs.csv"
    assert main(["--db", str(db), "export", "recommendations", "-o", str(out)]) == 0
    # a file starts with a UTF-8 BOM, as every CSV file written does (standard output has none)
    assert out.read_text(encoding="utf-8").startswith("\ufeffdocument,number,parent,section,text,topics")


def test_search_prints_ranked_hits(db, capsys):
    assert main(["--db", str(db), "search", "darknet"]) == 0
    out = capsys.readouterr().out
    assert "Recommendation 18" in out and "[darknet]" in out


def test_search_syntax_error_is_searched_as_plain_words(db, capsys):
    assert main(["--db", str(db), "search", '"unbalanced']) == 0
    err = capsys.readouterr().err
    assert "as plain words" in err and "Traceback" not in err


def test_not_a_library_is_refused(tmp_path, capsys):
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("hello")
    assert main(["--db", str(bogus), "export", "sections"]) == 1
    assert "not an SQLite database" in capsys.readouterr().err
    assert bogus.read_text() == "hello"


def test_new_path_is_an_empty_library(tmp_path, capsys):
    rows = export(tmp_path / "new.sqlite", "recommendations", capsys)
    assert rows == []


def test_console_script_runs(db):
    script = Path(sys.executable).with_name("xref-explorer")
    assert script.exists(), "the README's install (pip install -e '.[test]') provides the xref-explorer script"
    result = subprocess.run([str(script), "--db", str(db), "export", "sections"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("document,label,title,parent")
