"""Installation: resources found without the checkout, never a silently empty library, --version,
the Linux desktop entry, and the [bench] extra.

The wheel and the desktop bundle themselves are built and run by .ci/run; here an installed
layout (the packages and ``xref_explorer_resources`` in a folder of their own, no checkout
around them) is made in a temporary folder and the command line is run on it.
"""

from __future__ import annotations

import configparser
import csv
import io
import os
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from models import __version__, paths
from models.cli.commands import main
from models.cli.desktop_entry import entry_text
from models.db import library
from models.db.library import LibraryError, open_library

ROOT = Path(__file__).resolve().parents[2]
NO_CACHE = shutil.ignore_patterns("__pycache__", "*.pyc")


def test_the_checkout_resources_are_found_and_complete():
    assert paths.RESOURCES_DIR == ROOT / "resources"
    assert paths.EMBEDDED_CORPUS == ROOT / "data.sqlite"
    for path in (
        paths.EMBEDDED_CORPUS,
        paths.SHIPPED_REPORT,
        paths.TOPIC_LEXICON,
        paths.THESAURUS,
        paths.MENTIONS_CATALOGUE,
        paths.APP_ICON,
    ):
        assert path.is_file(), path


# --------------------------------------------------------------------------- never silently empty


@pytest.fixture
def user_library(tmp_path, monkeypatch) -> Path:
    """Where the user's library would be created (instead of the real per-user folder)."""
    path = tmp_path / "user" / "library.sqlite"
    monkeypatch.setattr(library, "default_library_path", lambda: path)
    return path


def _truncated_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "truncated.sqlite"
    path.write_bytes(paths.EMBEDDED_CORPUS.read_bytes()[:8192])
    return path


def _empty_sqlite(tmp_path: Path) -> Path:
    import sqlite3

    path = tmp_path / "empty.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 1")  # a valid database without a table
    connection.close()
    return path


@pytest.mark.parametrize(
    "make_seed, why",
    [
        (lambda tmp: tmp / "missing" / "data.sqlite", "was not found"),
        (lambda tmp: (tmp / "data.sqlite").parent, "was not found"),  # a folder, not a file
        (lambda tmp: _truncated_corpus(tmp), "cannot be read"),
        (lambda tmp: _empty_sqlite(tmp), "holds no library"),
        (lambda tmp: (tmp / "text.sqlite").write_text("not a database") and tmp / "text.sqlite", "cannot be read"),
    ],
)
def test_first_launch_refuses_a_missing_or_unreadable_corpus(tmp_path, user_library, make_seed, why):
    seed = make_seed(tmp_path)
    with pytest.raises(LibraryError) as refused:
        open_library(None, seed=seed)
    message = str(refused.value)
    assert why in message and str(seed) in message and "no library was created" in message
    assert "\n" not in message
    assert not user_library.parent.exists() or not any(user_library.parent.iterdir())


def test_first_launch_copies_a_readable_corpus(tmp_path, user_library):
    opened = open_library(None, seed=paths.EMBEDDED_CORPUS)
    try:
        assert opened.path == user_library
    finally:
        opened.close()
    assert not user_library.with_name("library.sqlite.part").exists()


def test_an_existing_user_library_needs_no_corpus(tmp_path, user_library):
    user_library.parent.mkdir(parents=True)
    shutil.copyfile(paths.EMBEDDED_CORPUS, user_library)
    open_library(None, seed=tmp_path / "gone.sqlite").close()


def _installed_layout(tmp_path: Path, *, with_corpus: bool) -> Path:
    """The packages as a wheel installs them: models, desktop and the resource package, no checkout."""
    site = tmp_path / "site-packages"
    for package in ("models", "desktop"):
        shutil.copytree(ROOT / package, site / package, ignore=NO_CACHE)
    resources = site / paths.RESOURCE_PACKAGE
    shutil.copytree(ROOT / "resources", resources, ignore=shutil.ignore_patterns("__pycache__", "*.png"))
    if with_corpus:
        shutil.copyfile(ROOT / "data.sqlite", resources / "data.sqlite")
    return site


def _run_installed(site: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line of an installed copy, from an unrelated folder with an empty home."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir(exist_ok=True)
    work.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PYTHONPATH": str(site),
        "PYTHONDONTWRITEBYTECODE": "1",
        "SYSTEMROOT": os.environ.get("SYSTEMROOT", ""),
    }
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args], cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_installed_copy_reads_its_own_corpus(tmp_path, capsys):
    site = _installed_layout(tmp_path, with_corpus=True)
    result = _run_installed(site, tmp_path, "export", "recommendations", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["number"] for row in rows if not row["parent"]} == {str(n) for n in range(1, 48)}
    assert any(row["parent"] == "47" for row in rows)
    # The same rows as the checkout's embedded corpus.
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(paths.EMBEDDED_CORPUS, copy)
    assert main(["--db", str(copy), "export", "recommendations", "--format", "csv"]) == 0
    assert rows == list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    library_files = list((tmp_path / "home").rglob("library.sqlite"))
    assert len(library_files) == 1, "the first launch made the user's library from the corpus"

    version = _run_installed(site, tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"xref-explorer {__version__}"


def test_installed_copy_without_its_corpus_says_so_and_creates_nothing(tmp_path):
    site = _installed_layout(tmp_path, with_corpus=False)
    result = _run_installed(site, tmp_path, "export", "recommendations", "--format", "csv")
    assert result.returncode == 1
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "embedded corpus was not found" in message
    assert str(site / paths.RESOURCE_PACKAGE / "data.sqlite") in message
    assert not list((tmp_path / "home").rglob("*.sqlite*"))


# --------------------------------------------------------------------------- version, dependencies


def test_version_is_printed(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"xref-explorer {__version__}"
    assert __version__.count(".") == 2 and all(part.isdigit() for part in __version__.split("."))


def test_the_app_depends_on_no_benchmark_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {dep.split(";")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower() for dep in project["dependencies"]}
    assert "psutil" not in names
    assert any(dep.startswith("psutil") for dep in project["optional-dependencies"]["bench"])


def test_bench_without_its_extra_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "psutil", None)  # as if psutil were not installed
    monkeypatch.delitem(sys.modules, "models.bench.run", raising=False)  # imported afresh
    assert main(["bench", "--reports", "1"]) == 1
    err = capsys.readouterr().err
    assert "pip install 'xref-explorer[bench]'" in err and "psutil" in err and err.count("\n") == 1


# --------------------------------------------------------------------------- Linux desktop entry


def _read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


@pytest.mark.skipif(sys.platform.startswith(("win", "darwin")), reason="freedesktop entries are for Linux")
def test_install_desktop_entry_writes_entry_and_icon(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for _ in range(2):  # installing again rewrites the same two files
        assert main(["--install-desktop-entry"]) == 0
    entry = tmp_path / "data" / "applications" / "xref-explorer.desktop"
    icon = tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / "xref-explorer.svg"
    assert f"Wrote {entry}" in capsys.readouterr().out
    assert icon.read_bytes() == paths.APP_ICON.read_bytes()
    keys = _read_entry(entry)
    assert keys["Type"] == "Application" and keys["Name"] == "Xref Explorer"
    assert keys["Icon"] == "xref-explorer" and keys["Terminal"] == "false"
    command = shlex.split(keys["Exec"])
    assert Path(command[0]).is_file() and os.access(command[0], os.X_OK)
    assert sorted(p.name for p in (tmp_path / "data").rglob("*") if p.is_file()) == ["xref-explorer.desktop", "xref-explorer.svg"]
    validator = shutil.which("desktop-file-validate")
    if validator:
        checked = subprocess.run([validator, str(entry)], capture_output=True, text=True, check=False)
        assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout


def test_desktop_entry_quotes_paths_with_spaces():
    exec_line = next(line for line in entry_text(["/opt/My Apps/xref-explorer", "50%"]).splitlines() if line.startswith("Exec="))
    assert exec_line == 'Exec="/opt/My Apps/xref-explorer" 50%%'


# --------------------------------------------------------------------------- the window, as CI runs it


def test_smoke_test_window_opens_paints_and_quits(qapp, tmp_path, monkeypatch):
    from desktop.app import SMOKE_TEST_VARIABLE, run

    copy = tmp_path / "library.sqlite"
    shutil.copyfile(paths.EMBEDDED_CORPUS, copy)
    monkeypatch.setenv(SMOKE_TEST_VARIABLE, "1")
    from PySide6.QtCore import QTimer

    stuck = []
    fallback = QTimer(singleShot=True, interval=20_000)  # a run that never quits ends the test, failed
    fallback.timeout.connect(lambda: (stuck.append(True), qapp.quit()))
    fallback.start()
    assert run(copy) == 0
    fallback.stop()
    assert not stuck


def test_window_refusing_a_library_prints_why(qapp, tmp_path, monkeypatch, capsys):
    from desktop.app import SMOKE_TEST_VARIABLE, run

    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a library", encoding="utf-8")
    monkeypatch.setenv(SMOKE_TEST_VARIABLE, "1")  # no message box to click away
    assert run(bad) == 1
    err = capsys.readouterr().err
    assert err.startswith("xref-explorer: ") and str(bad) in err and err.count("\n") == 1
    assert bad.read_text(encoding="utf-8") == "not a library"
