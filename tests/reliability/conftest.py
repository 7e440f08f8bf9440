"""Helpers of the reliability suite: real files made by the tests, the command line in real processes."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from models.db.library import open_library
from models.paths import EMBEDDED_CORPUS
from tests.gui.conftest import db_path, isolated_settings, window  # noqa: F401 (the GUI tests' fixtures, here too)

PROJECT = Path(__file__).resolve().parents[2]
REPORT = PROJECT / "resources" / "reports" / "wg-firearms-2021.txt"
DOCX = PROJECT / "tests" / "fixtures" / "wg-firearms-2021.docx"
NOBODY = 65534


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(
    *args: str | Path, user: int | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``xref-explorer ARGS`` in a fresh process (as ``user`` when given), output captured."""
    environment = dict(os.environ if env is None else env)
    environment["PYTHONPATH"] = str(PROJECT)
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=environment,
        user=user,
        timeout=timeout,
    )


def start_cli(*args: str | Path) -> subprocess.Popen[str]:
    environment = dict(os.environ, PYTHONPATH=str(PROJECT))
    return subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT,
        env=environment,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error a command printed: exactly one line, starting with the program's name, no traceback."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, result
    assert len(lines) >= 1 and lines[0].startswith("xref-explorer: "), result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    return result.stderr


@pytest.fixture
def library_copy(tmp_path) -> Path:
    """A copy of the embedded corpus, opened once (as the app leaves a user's library: WAL mode) and closed."""
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    open_library(path).close()
    return path


@pytest.fixture
def shared_dir():
    """A folder other users may enter (pytest's own are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix="xref-reliability-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


@pytest.fixture(scope="session")
def report_variant(tmp_path_factory) -> Path:
    """Another report of the series (next year's meeting), as a text file."""
    from tests.report_variants import firearms_2022

    path = tmp_path_factory.mktemp("variant") / "wg-firearms-2022.txt"
    path.write_text(firearms_2022(REPORT.read_text(encoding="utf-8")), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def report_variant_b(tmp_path_factory) -> Path:
    from tests.report_variants import trafficking_2022

    path = tmp_path_factory.mktemp("variant") / "wg-trafficking-2022.txt"
    path.write_text(trafficking_2022(REPORT.read_text(encoding="utf-8")), encoding="utf-8")
    return path
