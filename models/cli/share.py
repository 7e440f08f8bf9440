"""Command-line handlers for sharing: briefings, annotation exports and merges.

Wired into `models.cli.commands`; kept apart so each command's options and messages stay together.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import replace
from pathlib import Path

from models.annotations import AnnotationError, merge_annotations_csv, write_annotations_csv
from models.briefing.collect import UnknownCollectionError, collect_briefing, ids_for_collection
from models.briefing.contents import EmptyBriefingError
from models.briefing.spreadsheet import write_briefing_csv
from models.briefing.word import write_docx
from models.csvio import CsvFormatError, decode_csv
from models.db.backups import BackupError, backup_before
from models.db.library import Library
from models.queries.corpus import topics as topic_rows
from models.queries.filters import RecommendationFilter, describe_filter, filtered_ids
from models.safe_output import atomic_output, output_target

SHARE_EXPORTS = ("annotations", "briefing")


def add_briefing_options(export: argparse.ArgumentParser) -> None:
    group = export.add_argument_group("briefing options")
    group.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="KEY",
        help="only recommendations tagged with this topic (repeat: all of them)",
    )
    group.add_argument("--query", metavar="Q", help="only recommendations matching this search (FTS5 syntax)")
    group.add_argument(
        "--collection",
        metavar="NAME",
        help='the recommendations of this collection, in its order: its path from the top level ("Firearms / Notes"), '
        "or just its name when no other collection has it",
    )
    group.add_argument(
        "--group-by",
        choices=["section", "topic", "none"],
        default=None,
        help="Word briefing: grouping (default: section; none for a collection)",
    )
    group.add_argument(
        "--per",
        choices=["recommendation", "link"],
        default=None,
        help="CSV briefing: one row per recommendation (default) or per link",
    )
    group.add_argument(
        "--at-a-glance",
        action="store_true",
        help="Word briefing: begin with the Overview's tables (topics by group, State, section, year)",
    )


class ShareUsageError(ValueError):
    """Options that do not fit together; the message says what to do."""


def run_share_export(args: argparse.Namespace, library: Library) -> int:
    if args.kind == "annotations":
        if args.format != "csv":
            raise ShareUsageError("Annotations are exported as CSV: use --format csv.")
        with library.begin() as session:
            if args.output:
                with atomic_output(args.output, "w", library=library.path, encoding="utf-8", newline="") as stream:
                    count = write_annotations_csv(session, stream)
                print(f"Wrote {count} annotations to {args.output}", file=sys.stderr)
            else:
                sys.stdout.reconfigure(newline="")
                write_annotations_csv(session, sys.stdout, bom=False)  # files have a BOM, pipes none
        return 0
    return _export_briefing(args, library)


def refuse_options_of_the_other_format(args: argparse.Namespace) -> None:
    """Refuse an option that does nothing in the chosen format, naming the format it works with."""
    given = {"--group-by": args.group_by is not None, "--at-a-glance": args.at_a_glance, "--per": args.per is not None}
    works_with = {"--group-by": "docx", "--at-a-glance": "docx", "--per": "csv"}
    for option, fmt in works_with.items():
        if given[option] and args.format != fmt:
            raise ShareUsageError(f"{option} works only with --format {fmt} (this briefing is --format {args.format}).")


def _export_briefing(args: argparse.Namespace, library: Library) -> int:
    refuse_options_of_the_other_format(args)
    if args.format == "docx" and not args.output:
        raise ShareUsageError("A Word briefing needs a file to write: add -o FILE.docx")
    wanted = RecommendationFilter(text=args.query or "", topics=frozenset(args.topic))
    filters = [f"Collection: {args.collection}"] if args.collection else []
    with library.begin() as session:
        labels = {topic.key: topic.label for topic in topic_rows(session)}
        unknown = [key for key in args.topic if key not in labels]
        if unknown:
            raise ShareUsageError(f"Unknown topic {unknown[0]!r}; topics are: {', '.join(labels)}.")
        filters += [part.line() for part in describe_filter(session, wanted)]
        if args.collection:
            ids = ids_for_collection(session, args.collection)
            if not wanted.is_empty():
                matching = set(filtered_ids(session, wanted))
                ids = [i for i in ids if i in matching]
        else:
            ids = filtered_ids(session, wanted)
        grouping = args.group_by or ("none" if args.collection else "section")
        briefing = collect_briefing(session, ids, grouping=grouping, filters=filters, at_a_glance=args.at_a_glance)
    briefing = replace(briefing, topics=tuple(dict.fromkeys(args.topic)))  # grouped by topic: only these
    per = args.per or "recommendation"
    if args.format == "docx":
        output_target(args.output, library=library.path)  # before the work: refused at once
        write_docx(briefing, args.output)
    elif args.output:
        with atomic_output(args.output, "w", library=library.path, encoding="utf-8", newline="") as stream:
            write_briefing_csv(briefing, stream, per=per)
    else:
        sys.stdout.reconfigure(newline="")
        write_briefing_csv(briefing, sys.stdout, per=per, bom=False)
    if args.output:
        print(f"Wrote a briefing of {len(briefing.items)} recommendations to {args.output}", file=sys.stderr)
    return 0


def run_merge(args: argparse.Namespace, library: Library) -> int:
    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ShareUsageError(f"Cannot read {path}: {error.strerror or error}.") from error
    library.check_writable()
    text = decode_csv(data)  # a file that cannot be read is refused before anything else
    # A server's backups are its administrator's (pg_dump), not a file copy; none is kept if nothing merges.
    with backup_before(None if library.shared else library.path, "merge") as backup:
        with library.write() as session:
            report = merge_annotations_csv(session, io.StringIO(text, newline=""))
        backup.changed = report.added > 0
    print(
        f"Merged {path}: {report.added} added, {report.unchanged} already there, {len(report.conflicts)} conflicts"
        + (f", {len(report.unknown)} rows for recommendations not in this library (not merged)" if report.unknown else "")
    )
    for conflict in report.conflicts:
        print(f"  conflict: {conflict}")
    for line in report.unknown[:MAX_LISTED]:
        print(f"  not merged: {line}")
    if len(report.unknown) > MAX_LISTED:
        print(f"  ... and {len(report.unknown) - MAX_LISTED} more rows not merged")
    return 0


MAX_LISTED = 20


SHARE_ERRORS = (AnnotationError, BackupError, CsvFormatError, EmptyBriefingError, UnknownCollectionError, ShareUsageError)
