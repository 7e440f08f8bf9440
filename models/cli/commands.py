"""The ``xref-explorer`` command line.

Without a sub-command it opens the desktop app through the ``launch_gui``
callable handed in by `desktop.cli` (this package never imports Qt).
Sub-commands do headless work. Errors a user can act on are printed as one
line on stderr with exit code 1; usage errors exit with 2. No tracebacks.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import exc as sa_exc

from models import __version__
from models.cli.share import SHARE_ERRORS, SHARE_EXPORTS, add_briefing_options, run_share_export
from models.cli.share import run_merge as merge_handler
from models.csvio import write_csv
from models.db.backups import BackupError, list_backups, make_backup, restore_backup
from models.db.fulltext import QuerySyntaxError, search, searched_as_plain_words
from models.db.library import (
    Library,
    LibraryError,
    check_library,
    default_library_path,
    open_library,
)
from models.parse.records import ReportFormatError
from models.paths import EMBEDDED_CORPUS
from models.queries import exports
from models.safe_output import atomic_output

GuiLauncher = Callable[[Path | None], int]


class CommandError(Exception):
    """A failure to report to the user as one line."""


def library_location(value: str) -> Path | str:
    """A ``--db`` value: a database URL stays text, anything else is a file path."""
    return value if "://" in value else Path(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xref-explorer",
        description="Explore UN working-group reports: recommendations, who said what behind them, topics.",
    )
    parser.add_argument(
        "--db",
        type=library_location,
        metavar="PATH|URL",
        help=f"library file (default: your library, {default_library_path()}); a new path becomes an empty library; "
        "a URL (postgresql+psycopg://host/dbname) opens a shared library on a server",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="Linux: add Xref Explorer to the desktop's applications (a .desktop entry and icon under XDG_DATA_HOME)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="rebuild the embedded corpus (data.sqlite) from resources/")
    build.add_argument("-o", "--output", type=Path, help=f"file to write (default: {EMBEDDED_CORPUS})")
    build.add_argument(
        "--force", action="store_true", help="with -o: replace a file that exists (a library's annotations are lost)"
    )

    commands.add_parser("check", help="SQLite's full integrity check of the library (reads it, changes nothing)")

    restore = commands.add_parser("restore", help="list the library's automatic backups, or bring one back")
    restore.add_argument(
        "backup",
        nargs="?",
        metavar="BACKUP",
        help="a backup's file name (from the list), its number in the list (1: newest), or a path",
    )

    export = commands.add_parser("export", help="export the library as CSV, or a briefing as CSV or Word")
    export.add_argument("kind", choices=sorted([*exports.EXPORTS, *SHARE_EXPORTS]), help="what to export")
    export.add_argument("--format", choices=["csv", "docx"], default="csv", help="docx: briefing only")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    add_briefing_options(export)

    merge = commands.add_parser("merge", help="merge a colleague's exported annotations (CSV) into the library")
    merge.add_argument("file", type=Path, metavar="FILE")

    load = commands.add_parser("import", help="import report files (PDF, DOCX, TXT) into the library")
    load.add_argument("files", nargs="+", type=Path, metavar="FILE", help="report files; the format is read from the content")
    load.add_argument("--replace", action="store_true", help="replace a report already in the library (annotations are kept)")
    load.add_argument(
        "--dry-run", action="store_true", help="print the structure each file would be stored with, and import nothing"
    )

    synth = commands.add_parser("synth", help="write a synthetic library of N reports, for benchmarks")
    synth.add_argument("--reports", type=int, required=True, metavar="N", help="how many reports (~50 recommendations each)")
    synth.add_argument("--seed", type=int, default=0, help="same seed, same library (default: %(default)s)")
    synth.add_argument("--db", type=Path, metavar="PATH", default=argparse.SUPPRESS, help="the new file to write")
    synth.add_argument("--replace", action="store_true", help="overwrite an existing file")

    bench = commands.add_parser("bench", help="measure start-up, typing, import and export against the limits")
    bench.add_argument(
        "--reports",
        type=int,
        nargs="+",
        default=[1, 1000],
        metavar="N",
        help="library sizes: 1 is the embedded corpus, more are synthetic (default: 1 1000)",
    )
    bench.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    bench.add_argument("--keystrokes", type=int, help="keys typed into the search field (default: 300)")
    bench.add_argument("--starts", type=int, default=3, help="fresh processes per start-up figure (median)")
    bench.add_argument("--seed", type=int, default=0)
    bench.add_argument("--cache", type=Path, metavar="DIR", help="keep synthetic libraries here between runs")
    bench.add_argument(
        "--postgresql",
        nargs="?",
        const="",
        metavar="URL",
        help="also measure each size on a shared library: a throwaway PostgreSQL cluster, or the empty database at URL",
    )

    shared = commands.add_parser("bench-shared", help="load test, server restart and typing figures on PostgreSQL")
    shared.add_argument("--clients", type=int, default=20, help="concurrent clients (default: %(default)s)")
    shared.add_argument("--edits", type=int, default=200, help="annotation edits per client (default: %(default)s)")
    shared.add_argument(
        "--reports",
        type=int,
        nargs="+",
        default=[1, 1000],
        metavar="N",
        help="library sizes for the typing, import and briefing figures (default: 1 1000)",
    )
    shared.add_argument("--cache", type=Path, metavar="DIR", help="keep synthetic libraries here between runs")

    admin = commands.add_parser("admin", help="shared library on PostgreSQL: create the schema and roles, grant")
    admin_commands = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    admin_commands.add_parser("init", help="create or upgrade the schema and the reader, editor and maintainer roles")
    grant = admin_commands.add_parser("grant", help="make a database login role a reader, editor or maintainer")
    grant.add_argument("member", metavar="ROLE", help="an existing login role (createuser NAME)")
    grant.add_argument("level", choices=["reader", "editor", "maintainer"])

    find = commands.add_parser("search", help="full-text search of recommendations and remarks")
    find.add_argument("query", help='FTS5 syntax: words, "phrases", prefix*, OR, NOT')
    find.add_argument("--limit", type=int, default=20)
    return parser


def _open(args: argparse.Namespace) -> Library:
    return open_library(args.db)


def run_install_desktop_entry() -> int:
    from models.cli.desktop_entry import DesktopEntryError, install_desktop_entry

    try:
        written = install_desktop_entry()
    except DesktopEntryError as error:
        raise CommandError(str(error)) from error
    for path in written:
        print(f"Wrote {path}")
    return 0


def run_build(args: argparse.Namespace) -> int:
    from models.build.ingest import build_corpus

    output = args.output or EMBEDDED_CORPUS
    if args.output is not None:
        target = Path(os.path.realpath(args.output))  # a symlink: its target is replaced, not the link
        if target.exists() and not args.force:
            raise CommandError(f"{args.output} exists; it was left untouched. Use --force to replace it.")
        if target.is_dir() or (target.exists() and not target.is_file()):
            raise CommandError(f"{args.output} is not a regular file; it was left alone.")
        if not target.parent.is_dir():
            raise CommandError(f"Cannot write {args.output}: the folder {args.output.parent} does not exist.")
        output = target
    saved = None
    if args.output is not None and output.exists():  # a library of one's own: its annotations can come back
        try:
            saved = make_backup(output, "build")
        except BackupError:
            saved = make_backup(output, "build", raw=True)  # a damaged file: its bytes
    path = build_corpus(output)
    print(f"Built {args.output or path}" + (f" (the file it replaced is kept as {saved})" if saved else ""))
    return 0


def _library_file(args: argparse.Namespace, command: str) -> Path:
    """The library file ``command`` works on; a shared library (a URL) is refused in one line."""
    if isinstance(args.db, str):
        raise CommandError(
            f"{command} works on library files; a shared library is checked and backed up on its server "
            "(PostgreSQL's own tools, such as pg_dump)."
        )
    return args.db or default_library_path()


def run_check(args: argparse.Namespace) -> int:
    path = _library_file(args, "check")
    if not path.exists():
        raise CommandError(f"{path} does not exist.")
    result = check_library(path)
    if result != "ok":
        print(f"xref-explorer: {path} is damaged: {result}. Restore a backup with `xref-explorer restore`.", file=sys.stderr)
        return 1
    print(f"{path}: ok (SQLite integrity check)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    path = _library_file(args, "restore")
    backups = list_backups(path)
    if args.backup is None:
        if not backups:
            print(f"No backups of {path} (they are made before each import, replace, merge, upgrade and build -o).")
            return 0
        print(f"Backups of {path}, newest first (restore one with `xref-explorer restore N`):")
        for number, backup in enumerate(backups, start=1):
            print(f"  {number}. {backup.describe()}")
        return 0
    chosen = next((b.path for b in backups if b.path.name == args.backup), None)
    if chosen is None and args.backup.isdigit() and 1 <= int(args.backup) <= len(backups):
        chosen = backups[int(args.backup) - 1].path
    if chosen is None and Path(args.backup).is_file():
        chosen = Path(args.backup)
    if chosen is None:
        raise CommandError(f"No backup {args.backup!r} of {path}; `xref-explorer restore` lists them.")
    check_library(chosen)  # a file that is not a library is refused before anything changes
    saved = restore_backup(path, chosen)
    kept = f"; the library as it was is kept as {saved.name}" if saved is not None else ""
    print(f"Restored {path} from {chosen.name}{kept}.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    if args.kind in SHARE_EXPORTS:
        return _with_library(args, run_share_export)
    if args.format != "csv":
        raise CommandError(f"The {args.kind} export is CSV only: use --format csv.")
    kind = exports.EXPORTS[args.kind]
    library = _open(args)
    try:
        with library.begin() as session:
            rows = list(kind.rows(session))
    finally:
        library.close()
    if args.output:
        with atomic_output(args.output, "w", library=library.path, encoding="utf-8", newline="") as stream:
            write_csv(rows, kind.columns, stream, bom=True)  # every CSV file we write has a BOM; pipes none
    else:
        sys.stdout.reconfigure(newline="")
        write_csv(rows, kind.columns, sys.stdout)
    return 0


def _with_library(args: argparse.Namespace, handler: Callable[[argparse.Namespace, Library], int]) -> int:
    library = _open(args)
    try:
        return handler(args, library)
    finally:
        library.close()


def run_merge(args: argparse.Namespace) -> int:
    return _with_library(args, merge_handler)


def run_search(args: argparse.Namespace) -> int:
    library = _open(args)
    try:
        with library.begin() as session:
            hits = search(session, args.query, limit=args.limit)
    finally:
        library.close()
    if searched_as_plain_words(args.query):
        print(f"(searched {args.query!r} as plain words: it is not valid search syntax)", file=sys.stderr)
    if not hits:
        print(f"No match for {args.query!r}.")
        return 0
    for hit in hits:
        snippet = hit.snippet.replace("\u27e6", "[").replace("\u27e7", "]")
        print(f"{hit.document_key}  {hit.reference}: {snippet}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from models.build.importing import describe, import_reports

    if args.dry_run:
        return _dry_run(args.files)
    library = _open(args)
    try:
        result = import_reports(library, args.files, replace=args.replace)
    finally:
        library.close()
    for report in result.imported:
        print(describe(report))
    for failure in result.failed:
        hint = " Use --replace to update it (annotations are kept)." if failure.duplicate_of else ""
        print(f"xref-explorer: {failure.message}{hint}", file=sys.stderr)
    return 1 if result.failed else 0


def _dry_run(files: Sequence[Path]) -> int:
    from models.build.importing import ReportImportError
    from models.build.preview import format_preview, preview

    failed = False
    for path in files:
        try:
            sys.stdout.write(format_preview(path.name, preview(path)))
        except ReportImportError as error:
            print(f"xref-explorer: {error}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def run_synth(args: argparse.Namespace) -> int:
    from models.bench.synth import synthesize

    if args.db is None:
        raise CommandError("synth writes a new library: give it --db FILE (it never writes your own library).")
    if args.db.exists() and not args.replace:
        raise CommandError(f"{args.db} exists; use --replace to overwrite it.")
    if args.reports < 1:
        raise CommandError("--reports must be at least 1.")
    stats = synthesize(args.db, args.reports, args.seed)
    print(
        f"Wrote {stats.path}: {stats.reports} reports, {stats.counts['recommendation']} recommendations, "
        f"{stats.counts['remark']} remarks, {stats.counts['link']} links in {stats.seconds:.1f} s"
    )
    return 0


def run_bench(args: argparse.Namespace) -> int:
    from models.db.pg_cluster import ClusterUnavailable

    try:
        from models.bench.run import KEYSTROKES
        from models.bench.run import run_bench as bench
    except ModuleNotFoundError as error:  # psutil and the like come with the [bench] extra
        if getattr(sys, "frozen", False):  # the desktop bundle leaves the benchmark out
            raise CommandError(
                "The benchmark is not part of the desktop bundle: run it from a Python "
                "installation, pip install 'xref-explorer[bench]'."
            ) from error
        raise CommandError(
            f"The benchmark needs the bench extra ({error.name} is missing): pip install 'xref-explorer[bench]'."
        ) from error
    try:
        bench(
            args.reports,
            keystrokes=args.keystrokes or KEYSTROKES,
            seed=args.seed,
            cache=args.cache,
            json_path=args.json,
            starts=args.starts,
            postgresql=args.postgresql,
        )
    except ClusterUnavailable as error:
        raise CommandError(f"{error} Or give --postgresql postgresql+psycopg://... of a server to use.") from error
    except RuntimeError as error:
        raise CommandError(str(error)) from error
    return 0


def run_admin(args: argparse.Namespace) -> int:
    from models.db.pg_admin import grant, init_library

    if not isinstance(args.db, str):
        raise CommandError("admin works on a shared library: give --db postgresql+psycopg://HOST/DBNAME.")
    if args.admin_command == "init":
        lines = init_library(args.db)  # checks the role may create roles before creating the schema
    else:
        library = _open(args)
        try:
            lines = [grant(library, args.member, args.level)]
        finally:
            library.close()
    for line in lines:
        print(line)
    return 0


def run_bench_shared(args: argparse.Namespace) -> int:
    from models.bench.shared import run
    from models.db.pg_cluster import ClusterUnavailable

    url = args.db if isinstance(args.db, str) else None
    try:
        run(url, args.clients, args.edits, args.reports, args.cache)
    except ClusterUnavailable as error:
        raise CommandError(f"{error} Or give --db postgresql+psycopg://... of a server to use.") from error
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "admin": run_admin,
    "bench-shared": run_bench_shared,
    "bench": run_bench,
    "build": run_build,
    "check": run_check,
    "restore": run_restore,
    "export": run_export,
    "merge": run_merge,
    "import": run_import,
    "search": run_search,
    "synth": run_synth,
}


def main(argv: Sequence[str] | None = None, *, launch_gui: GuiLauncher | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.install_desktop_entry:
            if args.command is not None:
                parser.error("--install-desktop-entry takes no command")
            return run_install_desktop_entry()
        if args.command is None:
            if launch_gui is None:
                parser.error("no command given")
            return launch_gui(args.db)
        return HANDLERS[args.command](args)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        return 0
    except (LibraryError, ReportFormatError, QuerySyntaxError, CommandError, OSError, BackupError, *SHARE_ERRORS) as error:
        print(f"xref-explorer: {error}", file=sys.stderr)
        return 1
    except sa_exc.DBAPIError as error:  # the library turned out unreadable midway (damaged since it was opened)
        advice = "" if isinstance(args.db, str) else " Run `xref-explorer check`."
        print(
            f"xref-explorer: the library could not be read or written ({error.orig}); nothing more was changed.{advice}",
            file=sys.stderr,
        )
        return 1
