"""Damaged libraries are refused and left byte for byte; backups before each change; check and restore."""

from __future__ import annotations

import random
import sqlite3

import pytest

from models.db.backups import KEEP, list_backups
from models.db.library import LibraryError, open_library
from tests.reliability.conftest import REPORT, cli, digest, one_line_error


def _damage_middle(path) -> None:
    """8 KB of random bytes written over the middle of the file."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(random.Random(19).randbytes(8192))


def _documents(path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM document").fetchone()[0]
    finally:
        connection.close()


@pytest.mark.parametrize(
    "command",
    [
        ["search", "marking"],
        ["export", "recommendations", "--format", "csv"],
        ["import", "--replace", "resources/reports/wg-firearms-2021.txt"],
        ["merge", "README.md"],
    ],
)
def test_a_library_damaged_in_the_middle_is_refused_and_left_untouched(command, library_copy):
    _damage_middle(library_copy)
    before = digest(library_copy)
    error = one_line_error(cli("--db", library_copy, *command))
    assert "is damaged" in error and "left untouched" in error
    assert digest(library_copy) == before


def test_the_window_refuses_a_damaged_library_with_the_same_message(library_copy):
    _damage_middle(library_copy)
    before = digest(library_copy)
    with pytest.raises(LibraryError, match="is damaged"):
        open_library(library_copy)
    assert digest(library_copy) == before


def test_check_runs_the_full_integrity_check(library_copy):
    run = cli("--db", library_copy, "check")
    assert run.returncode == 0 and "ok" in run.stdout
    _damage_middle(library_copy)
    before = digest(library_copy)
    assert "is damaged" in one_line_error(cli("--db", library_copy, "check"))
    assert digest(library_copy) == before


def test_a_library_not_closed_cleanly_opens_after_its_quick_check(library_copy):
    """A writer killed mid-transaction leaves its write-ahead log: the next open checks the file and reads
    what was committed."""
    connection = sqlite3.connect(library_copy, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "INSERT INTO user_note(document_key, number, text, updated) VALUES "
        "('working-group-on-firearms/2021-05-10', '18', 'committed', '2026-01-01T00:00:00Z')"
    )
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("DELETE FROM user_note")  # never committed: the process is "killed" below
    assert (library_copy.parent / f"{library_copy.name}-wal").exists()
    run = cli("--db", library_copy, "export", "annotations", "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert "committed" in run.stdout
    connection.close()


def test_backups_are_made_before_imports_and_merges_and_restore_brings_one_back(library_copy, tmp_path, report_variant):
    assert list_backups(library_copy) == []
    run = cli("--db", library_copy, "import", report_variant)
    assert run.returncode == 0, run.stderr
    assert _documents(library_copy) == 2
    backups = list_backups(library_copy)
    assert [b.reason for b in backups] == ["import"]
    assert _documents(backups[0].path) == 1  # the library as it was before the import
    listing = cli("--db", library_copy, "restore")
    assert listing.returncode == 0 and backups[0].path.name in listing.stdout
    restored = cli("--db", library_copy, "restore", "1")
    assert restored.returncode == 0, restored.stderr
    assert _documents(library_copy) == 1
    assert [b.reason for b in list_backups(library_copy)] == ["restore", "import"]  # the restore can be undone
    assert _documents(list_backups(library_copy)[0].path) == 2
    assert cli("--db", library_copy, "check").returncode == 0


def test_only_the_last_few_backups_are_kept(library_copy, tmp_path):
    from models.db.backups import make_backup

    for _ in range(KEEP + 3):
        make_backup(library_copy, "merge")
    assert len(list_backups(library_copy)) == KEEP


def test_commands_that_change_nothing_keep_no_backup_and_push_none_out(library_copy, tmp_path, report_variant):
    """Failed imports and merges, and a merge with nothing new, leave the backups as they were."""
    from models.db.backups import make_backup

    for _ in range(KEEP):
        make_backup(library_copy, "merge")
    before = [b.path.name for b in list_backups(library_copy)]
    missing, garbage = tmp_path / "nosuchfile.pdf", tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 8)
    header_only = tmp_path / "other.csv"
    header_only.write_text("a,b\n", encoding="utf-8")
    nothing_new = tmp_path / "mine.csv"
    assert cli("--db", library_copy, "export", "annotations", "-o", nothing_new).returncode == 0
    for command in (
        ("import", missing),
        ("import", garbage),
        ("import", REPORT),  # already in the library: refused as a duplicate
        ("merge", tmp_path / "nosuchfile.csv"),
        ("merge", header_only),
        ("merge", nothing_new),
    ):
        cli("--db", library_copy, *command)
        assert [b.path.name for b in list_backups(library_copy)] == before, command
    # a command that changes the library keeps its backup, and the oldest goes
    assert cli("--db", library_copy, "import", report_variant).returncode == 0
    after = list_backups(library_copy)
    assert len(after) == KEEP and after[0].reason == "import" and before[-1] not in [b.path.name for b in after]


def test_a_damaged_library_can_be_restored_from_a_backup(library_copy):
    from models.db.backups import make_backup

    make_backup(library_copy, "import")
    _damage_middle(library_copy)
    run = cli("--db", library_copy, "restore", "1")
    assert run.returncode == 0, run.stderr
    assert cli("--db", library_copy, "check").returncode == 0
    assert _documents(library_copy) == 1


def test_a_large_library_closed_cleanly_opens_without_the_check_and_one_left_open_gets_it(library_copy, monkeypatch):
    """Only the sidecar files a writer leaves behind say a library was not closed cleanly; the read-only
    connections that open_library itself makes first must not count as such."""
    import models.db.library as library_module

    monkeypatch.setattr("models.db.library_safety.QUICK_CHECK_ALWAYS_BELOW", 0)  # as a library of 16 MB or more
    checked = []
    real = library_module.integrity_problem
    monkeypatch.setattr(library_module, "integrity_problem", lambda path, **kw: checked.append(path) or real(path, **kw))
    open_library(library_copy).close()  # now in write-ahead mode, closed cleanly
    checked.clear()
    open_library(library_copy).close()
    assert checked == []
    left_open = open_library(library_copy)
    with left_open.begin() as session:
        session.connection().exec_driver_sql("SELECT count(*) FROM recommendation").all()
        assert (library_copy.parent / f"{library_copy.name}-wal").exists()
        open_library(library_copy).close()  # a second program opens it meanwhile
    left_open.close()
    assert checked == [library_copy]


@pytest.mark.parametrize("command", ["check", "restore"])
def test_check_and_restore_say_in_one_line_that_a_shared_library_is_kept_on_its_server(command):
    """No server is needed to say so: the command refuses the URL before connecting."""
    url = "postgresql+psycopg://member@/delegation?host=/nonexistent&port=1"
    error = one_line_error(cli("--db", url, command))
    assert f"{command} works on library files" in error and "pg_dump" in error
