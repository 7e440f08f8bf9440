"""Exports never destroy: not the open library, not another library, not a device, a folder or a link."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.db.backups import list_backups
from models.db.library import open_library
from models.db.user_tables import UserNote
from models.paths import EMBEDDED_CORPUS
from tests.reliability.conftest import PROJECT, cli, digest, one_line_error

EXPORTS = {
    "recommendations CSV": ["export", "recommendations", "--format", "csv"],
    "annotations CSV": ["export", "annotations", "--format", "csv"],
    "briefing CSV": ["export", "briefing", "--format", "csv"],
    "briefing Word": ["export", "briefing", "--format", "docx"],
}


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_an_export_onto_the_open_library_is_refused(kind, library_copy):
    before = digest(library_copy)
    error = one_line_error(cli("--db", library_copy, *EXPORTS[kind], "-o", library_copy))
    assert str(library_copy) in error and "left untouched" in error
    assert digest(library_copy) == before


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_an_export_onto_another_library_is_refused(kind, library_copy, tmp_path):
    other = tmp_path / "colleague.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, other)
    before = digest(other)
    error = one_line_error(cli("--db", library_copy, *EXPORTS[kind], "-o", other))
    assert "is a library" in error
    assert digest(other) == before


@pytest.mark.parametrize("target", ["/dev/null", "folder"])
def test_devices_and_folders_are_refused(target, library_copy, tmp_path):
    path = tmp_path / "folder" if target == "folder" else target
    if target == "folder":
        path.mkdir()
    for kind in ("recommendations CSV", "briefing Word"):
        error = one_line_error(cli("--db", library_copy, *EXPORTS[kind], "-o", path))
        assert str(path) in error and ("folder" in error or "not a regular file" in error)


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_an_export_through_a_symlink_writes_its_target(kind, library_copy, tmp_path):
    target = tmp_path / "real" / "briefing.out"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.out"
    link.symlink_to(target)
    run = cli("--db", library_copy, *EXPORTS[kind], "-o", link)
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes() != b"old" and target.read_bytes().count(b"\n") >= 1  # at least the header
    assert [p.name for p in target.parent.iterdir()] == ["briefing.out"]  # no temporary file left


def test_messages_name_the_users_path_not_a_temporary_file(library_copy, tmp_path):
    missing = tmp_path / "no-such-folder" / "out.csv"
    for kind in ("recommendations CSV", "briefing Word"):
        error = one_line_error(cli("--db", library_copy, *EXPORTS[kind], "-o", missing))
        assert str(missing) in error and ".tmp" not in error and ".~" not in error


def test_build_refuses_an_existing_file_unless_forced(library_copy, tmp_path):
    before = digest(library_copy)
    error = one_line_error(cli("build", "-o", library_copy))
    assert "--force" in error and "left untouched" in error
    assert digest(library_copy) == before
    fresh = tmp_path / "fresh.sqlite"
    link = tmp_path / "corpus-link.sqlite"
    link.symlink_to(fresh)
    run = cli("build", "-o", link)  # a new file, through a symlink
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and fresh.stat().st_size > 100_000
    forced = cli("build", "-o", link, "--force")
    assert forced.returncode == 0, forced.stderr
    assert link.is_symlink()


def test_build_over_a_library_left_open_by_a_crash_gives_a_clean_library_and_keeps_the_old_one(library_copy):
    """The crashed library's write-ahead log belongs to the old file: it must not be replayed onto the new one."""
    crash = (
        "import os, sys\n"
        "from models.db.library import open_library\n"
        "from models import annotations as a\n"
        "library = open_library(sys.argv[1])\n"
        "with library.write() as session:\n"
        "    a.set_note(session, ('wg-firearms-2021', '18'), 'Raise with capital')\n"
        "os._exit(0)  # no clean close: the note is only in the -wal file\n"
    )
    run = subprocess.run([sys.executable, "-c", crash, str(library_copy)], cwd=PROJECT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert Path(f"{library_copy}-wal").stat().st_size > 0
    built = cli("build", "-o", library_copy, "--force")
    assert built.returncode == 0, built.stderr
    assert "kept as" in built.stdout
    assert cli("--db", library_copy, "check").returncode == 0
    library = open_library(library_copy, read_only=True)
    with library.sessions() as session:
        assert session.scalar(select(func.count()).select_from(UserNote)) == 0
    library.close()
    (backup,) = list_backups(library_copy)
    kept = open_library(backup.path, read_only=True)
    with kept.sessions() as session:
        assert session.scalars(select(UserNote.text)).all() == ["Raise with capital"]
    kept.close()


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (("--format", "csv", "--group-by", "topic"), "--group-by works only with --format docx"),
        (("--group-by", "none"), "--group-by works only with --format docx"),  # csv is the default format
        (("--format", "csv", "--at-a-glance"), "--at-a-glance works only with --format docx"),
        (("--format", "docx", "--per", "link"), "--per works only with --format csv"),
    ],
)
def test_a_briefing_option_of_the_other_format_is_refused_in_one_line(options, named, library_copy, tmp_path):
    dest = tmp_path / "briefing.out"
    error = one_line_error(cli("--db", library_copy, "export", "briefing", *options, "-o", dest))
    assert named in error and len(error.strip().splitlines()) == 1
    assert not dest.exists()


def test_briefing_options_of_their_own_format_still_work(library_copy, tmp_path):
    links, word = tmp_path / "links.csv", tmp_path / "topics.docx"
    assert cli("--db", library_copy, "export", "briefing", "--format", "csv", "--per", "link", "-o", links).returncode == 0
    assert links.read_text(encoding="utf-8-sig").startswith("document,recommendation,paragraph")
    result = cli(
        "--db", library_copy, "export", "briefing", "--format", "docx", "--group-by", "topic", "--at-a-glance", "-o", word
    )
    assert result.returncode == 0 and word.exists()
