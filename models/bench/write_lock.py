"""How long an import holds a library's write lock: the time a note typed meanwhile may wait.

`write_lock_held` imports a report (``replace``, as `xref-explorer import --replace`) into a
COPY of a library, through `models.build.importing` as the app does, and times every write
transaction from its ``BEGIN IMMEDIATE`` to its commit. The bench's import task reports it;
``python -m models.bench.write_lock --db LIBRARY...`` prints it for each library.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import event

from models.paths import SHIPPED_REPORT


def write_lock_held(db: Path, report: Path = SHIPPED_REPORT) -> dict[str, float]:
    """``import_s``: the whole import (backup included); ``write_lock_s``: the write lock held, summed."""
    from models.build.importing import import_reports
    from models.build.ingest import warm_up
    from models.db.library import WRITE_OPTION, open_library

    warm_up()  # as the app does while the delegate picks the files
    with tempfile.TemporaryDirectory(prefix="xref-write-lock-") as work:
        copy = Path(work) / "library.sqlite"
        shutil.copyfile(db, copy)
        library = open_library(copy)
        held: list[float] = []
        began: list[float] = []

        @event.listens_for(library.engine, "begin")
        def _begin(connection) -> None:
            if connection.get_execution_options().get(WRITE_OPTION):
                began.append(time.perf_counter())

        @event.listens_for(library.engine, "commit")
        def _commit(_connection) -> None:
            if began:
                held.append(time.perf_counter() - began.pop())

        try:
            start = time.perf_counter()
            result = import_reports(library, [report], replace=True)
            total = time.perf_counter() - start
        finally:
            library.close()
    if result.failed:
        raise RuntimeError(result.failed[0].message)
    return {"import_s": total, "write_lock_s": sum(held)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.bench.write_lock", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, nargs="+", required=True, help="libraries to import into (copies are used)")
    parser.add_argument("--report", type=Path, default=SHIPPED_REPORT)
    args = parser.parse_args(argv)
    for db in args.db:
        print(json.dumps({"db": str(db), **{k: round(v, 3) for k, v in write_lock_held(db, args.report).items()}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
