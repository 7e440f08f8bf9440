"""Benchmarks of a shared library on PostgreSQL: concurrent editing, a server restart, typing.

`load_test`: N clients (threads, each its own `Library`, so its own connections) each make
M edits of notes and positions on a few shared recommendations, every edit based on what the
client last read (its version), as an editor does. Each edit is either stored or refused as
stale (the refusal carries the other person's value, which the app shows); at the end the
library is checked: each recommendation's note version counts exactly the stored note edits,
and its text is the one stored with that version. Nothing is lost or silently overwritten.

`fault_test`: one client edits while the server restarts; edits during the outage fail with
`LibraryUnavailable` (nothing half-written), later ones succeed on new connections, and every
edit reported stored is in the library.

`typing_figures`: the queries behind a keystroke (first screen of matches, then the rows of
that screen) on a library, timed key by key, for SQLite and PostgreSQL side by side.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from models import annotations as a
from models.db.library import Library, LibraryUnavailable, open_library
from models.queries.corpus import recommendation_rows
from models.queries.filters import first_matching_ids

SHARED_RECOMMENDATIONS = 10  # the recommendations every client edits: plenty of collisions
TYPED = "marking and tracing of firearms"


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@dataclass
class LoadResult:
    clients: int
    edits: int
    stored: int = 0
    stale: int = 0
    stale_shown: int = 0  # refusals carrying the other person's value
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return (self.stored + self.stale) / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        return [
            f"{self.clients} clients x {self.edits} edits = {self.clients * self.edits} edits in {self.seconds:.1f} s",
            f"stored {self.stored}, refused as stale {self.stale} (other value shown: {self.stale_shown}), "
            f"lost {self.clients * self.edits - self.stored - self.stale}",
            f"throughput {self.throughput:.0f} edits/s; latency p50 {percentile(self.latencies_ms, 0.5):.1f} ms, "
            f"p95 {percentile(self.latencies_ms, 0.95):.1f} ms",
            "consistency: "
            + (
                "every stored edit is in the library, none overwritten unseen"
                if not self.problems
                else "; ".join(self.problems[:5])
            ),
        ]


def _keys(library: Library) -> list[a.RecommendationKey]:
    with library.begin() as session:
        ids = first_matching_ids(session, "firearms", SHARED_RECOMMENDATIONS)[0]
        rows = recommendation_rows(session, ids)
    return [rows[i].key for i in ids][:SHARED_RECOMMENDATIONS]


def load_test(url: str, clients: int = 20, edits: int = 200, seed: int = 0) -> LoadResult:
    """Run the load test on the library at ``url`` (its annotations of the shared recommendations are overwritten)."""
    opener = open_library(url)
    keys = _keys(opener)
    with opener.begin() as session:
        before = {key: a.recommendation_annotations(session, key).note_version for key in keys}
    opener.close()
    result = LoadResult(clients, edits)
    lock = threading.Lock()
    stored_notes: dict[tuple[a.RecommendationKey, int], str] = {}
    start = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        library = open_library(url)
        library.author = f"client{number:02d}"
        rng = random.Random(seed * 1000 + number)
        seen: dict[a.RecommendationKey, tuple[int, int]] = {}  # key -> (note version, position version)
        start.wait()
        try:
            for edit in range(edits):
                key = rng.choice(keys)
                if key not in seen or rng.random() < 0.3:  # read again now and then, as a view refresh does
                    with library.begin() as session:
                        shown = a.recommendation_annotations(session, key)
                    seen[key] = (shown.note_version, shown.position_version)
                began = time.perf_counter()
                try:
                    with library.begin() as session:
                        if edit % 4 == 3:
                            position = rng.choice(a.POSITIONS)
                            done = a.set_position(session, [key], position, seen=[(key, seen[key][1])])
                            version = done.versions[0] if done.versions else seen[key][1]
                            seen[key] = (seen[key][0], version)
                        else:
                            text = f"client {number} edit {edit}"
                            done = a.set_note(session, key, text, seen_version=seen[key][0])
                            seen[key] = (done.versions[0], seen[key][1])
                            with lock:
                                stored_notes[(key, done.versions[0])] = text
                    outcome = "stored"
                except a.StaleEditError as error:
                    outcome = "stale"
                    shown_value = error.current is not None and error.author.startswith("client")
                    if error.what == "note":
                        seen[key] = (error.version, seen[key][1])
                    else:
                        seen[key] = (seen[key][0], error.version)
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    result.latencies_ms.append(elapsed)
                    if outcome == "stored":
                        result.stored += 1
                    else:
                        result.stale += 1
                        result.stale_shown += bool(shown_value)
        finally:
            library.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    checker = open_library(url)
    with checker.begin() as session:
        for key in keys:
            final = a.recommendation_annotations(session, key)
            writes = sum(1 for (k, _v) in stored_notes if k == key)
            if final.note_version - before[key] != writes:
                result.problems.append(f"{key.number}: version {final.note_version}, {writes} note edits stored")
            if writes and stored_notes.get((key, final.note_version)) != final.note:
                result.problems.append(f"{key.number}: the stored text is not the last stored edit")
    checker.close()
    return result


@dataclass
class FaultResult:
    stored: int
    unavailable: int
    recovered: bool
    consistent: bool

    def lines(self) -> list[str]:
        return [
            f"server restarted during {self.stored + self.unavailable} edits: stored {self.stored}, "
            f"refused while the server was away {self.unavailable}; client recovered: {self.recovered}; "
            f"every stored edit in the library: {self.consistent}"
        ]


def fault_test(url: str, restart: Callable[[], None], edits: int = 60) -> FaultResult:
    """One client edits notes while ``restart`` (run after a third of the edits) restarts the server."""
    library = open_library(url)
    library.author = "fault-client"
    keys = _keys(library)
    confirmed: dict[a.RecommendationKey, str] = {}
    stored = unavailable = 0
    stored_after = 0
    restarter = None
    for edit in range(edits):
        if edit == edits // 3:
            restarter = threading.Thread(target=restart)
            restarter.start()
        key = keys[edit % len(keys)]
        text = f"fault edit {edit}"
        try:
            with library.begin() as session:
                a.set_note(session, key, text)
            confirmed[key] = text
            stored += 1
            if restarter is not None and not restarter.is_alive():
                stored_after += 1
        except LibraryUnavailable:
            unavailable += 1
            time.sleep(0.1)
    if restarter is not None:
        restarter.join()
    for _ in range(50):  # after the restart: the next edit must succeed on a new connection
        try:
            with library.begin() as session:
                a.set_note(session, keys[0], "after the restart")
            confirmed[keys[0]] = "after the restart"
            stored_after += 1
            break
        except LibraryUnavailable:
            time.sleep(0.2)
    with library.begin() as session:
        consistent = all(a.recommendation_annotations(session, key).note == text for key, text in confirmed.items())
    library.close()
    return FaultResult(stored, unavailable, stored_after > 0, consistent)


def typing_figures(library: Library, typed: str = TYPED, screen: int = 60) -> dict[str, float]:
    """Per keystroke: the first screen of matches and its rows (what the table needs to show them), in ms.

    The queries only, run in this thread: the GUI's paint is not included (see `xref-explorer bench`)."""
    times = []
    for end in range(1, len(typed) + 1):
        text = typed[:end].strip()
        if not text:
            continue
        began = time.perf_counter()
        with library.begin() as session:
            ids, _complete = first_matching_ids(session, text, screen)  # as the search field sends it
            recommendation_rows(session, ids)
        times.append((time.perf_counter() - began) * 1000)
    return {"keystrokes": len(times), "p50_ms": statistics.median(times), "p95_ms": percentile(times, 0.95)}


def copy_library(source: Library, target: Library, chunk: int = 5000) -> dict[str, int]:
    """Copy every row of a library (a SQLite file, say a synthetic one) into an empty shared library,
    full-text index included; returns rows per table.

    On PostgreSQL the rows go in through ``COPY ... FROM STDIN`` (one stream per table, not one
    INSERT per row) and each full-text index is built once over its table rather than row by row:
    the synthetic 1,000-report library took 95 s with INSERTs."""
    from sqlalchemy import func, insert, select, text

    import models.annotations  # noqa: F401 - registers the user tables on the metadata
    from models.db.schema import Base

    counts = {}
    with source.engine.connect() as reader, target.begin() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        for table in Base.metadata.sorted_tables:
            if table.name == "user_collection":  # the new library's own "Briefing" goes: the source has one
                session.execute(table.delete())
            rows = reader.execute(select(table)).mappings()
            if postgres:
                counts[table.name] = _copy_rows(session, table, rows, chunk)
            else:
                total = 0
                while batch := rows.fetchmany(chunk):
                    session.execute(insert(table), [dict(row) for row in batch])
                    total += len(batch)
                counts[table.name] = total
            if "id" in table.c and counts[table.name] and postgres:
                session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :m)"),
                    {"m": session.scalar(select(func.max(table.c.id)))},
                )
        for name in ("recommendation", "remark", "paragraph"):
            if postgres:  # one index build over the table beats updating the index row by row
                session.execute(text(f"DROP INDEX IF EXISTS ix_{name}_fts_tsv"))
            session.execute(text(f"INSERT INTO {name}_fts(rowid, text) SELECT id, text FROM {name}"))
            if postgres:
                session.execute(text(f"CREATE INDEX ix_{name}_fts_tsv ON {name}_fts USING gin (tsv)"))
    return counts


def _copy_rows(session, table, rows, chunk: int) -> int:
    """Stream ``rows`` into ``table`` with PostgreSQL's COPY, in the session's transaction."""
    names = [column.name for column in table.columns]
    columns = ", ".join(f'"{name}"' for name in names)
    connection = session.connection().connection.dbapi_connection
    total = 0
    with connection.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        while batch := rows.fetchmany(chunk):
            for row in batch:
                copy.write_row([row[name] for name in names])
            total += len(batch)
    return total


def scale_figures(library: Library, report_path, rows: int = 1000) -> dict[str, float]:
    """Typing, importing a report (rolled back) and a Word briefing of ``rows`` recommendations."""
    import datetime as dt
    import tempfile
    from pathlib import Path

    from models.briefing.collect import collect_briefing
    from models.briefing.word import write_docx
    from models.build.ingest import ingest_text, source_hash, warm_up
    from models.queries.filters import RecommendationFilter, filtered_ids

    figures: dict[str, float] = dict(typing_figures(library))
    warm_up()
    data = Path(report_path).read_bytes()
    session = library.sessions()
    try:
        began = time.perf_counter()
        ingest_text(
            session, data.decode("utf-8"), source_name=Path(report_path).name, source_hash=source_hash(data), replace=True
        )
        session.flush()
        figures["import_s"] = time.perf_counter() - began
    finally:
        session.rollback()
        session.close()
    began = time.perf_counter()
    with library.begin() as session:
        ids = filtered_ids(session, RecommendationFilter())[:rows]
        briefing = collect_briefing(session, ids, title="Benchmark briefing", today=dt.date(2026, 1, 1))
    with tempfile.TemporaryDirectory(prefix="xref-shared-") as work:
        write_docx(briefing, Path(work) / "briefing.docx")
    figures["word_briefing_s"] = time.perf_counter() - began
    return figures


@contextmanager
def server(url: str | None) -> Iterator[tuple[Callable[[str], str], object]]:
    """(``fresh(name)``: the URL of a new database, the cluster) on a throwaway cluster started for
    the benchmark and destroyed after it, or (the same ``url`` every time, None) on a given server."""
    from models.db.pg_cluster import start_cluster

    cluster = None if url else start_cluster()
    try:
        yield (lambda name: cluster.create_database(name) if cluster else url), cluster
    finally:
        if cluster is not None:
            cluster.destroy()


def copy_to_server(path, url: str, log: Callable[[str], None] = print) -> None:
    """The SQLite library at ``path`` copied into the empty shared library at ``url``, its statistics gathered."""
    source, target = open_library(path), open_library(url)
    try:
        began = time.perf_counter()
        copied = copy_library(source, target)
        log(
            f"Copied {copied['recommendation']} recommendations, {copied['link']} links to PostgreSQL "
            f"in {time.perf_counter() - began:.1f} s"
        )
        with target.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    finally:
        source.close()
        target.close()


def run(
    url: str | None, clients: int, edits: int, reports: list[int], cache, seed: int = 0, log: Callable[[str], None] = print
) -> dict[str, object]:
    """The whole shared-library benchmark; on a throwaway cluster unless ``url`` names a server."""
    import shutil
    import tempfile
    from pathlib import Path

    from models.bench.run import SHIPPED_REPORT, prepare_library
    from models.db.pg_library import shown

    results: dict[str, object] = {}
    with server(url) as (fresh, cluster):
        base = fresh("load_test")
        library = open_library(base)
        if not _has_reports(library):
            from models.build.importing import import_report

            import_report(library, SHIPPED_REPORT)
        library.close()
        log(f"Load test on {shown(base)}:")
        load = load_test(base, clients, edits, seed)
        for line in load.lines():
            log("  " + line)
        results["load"] = {
            "stored": load.stored,
            "stale": load.stale,
            "seconds": load.seconds,
            "throughput": load.throughput,
            "p50_ms": percentile(load.latencies_ms, 0.5),
            "p95_ms": percentile(load.latencies_ms, 0.95),
            "problems": load.problems,
        }
        if cluster is not None:
            fault = fault_test(base, cluster.restart)
            for line in fault.lines():
                log("  " + line)
            results["fault"] = fault.__dict__
        work = Path(tempfile.mkdtemp(prefix="xref-bench-shared-"))
        try:
            for count in reports:
                path = prepare_library(count, work, Path(cache or work), seed, log)
                target = fresh(f"reports_{count}")
                copy_to_server(path, target, log)
                for engine, library in (("sqlite", open_library(path)), ("postgresql", open_library(target))):
                    figures = scale_figures(library, SHIPPED_REPORT)
                    results[f"{engine}_{count}"] = figures
                    log(
                        f"  {engine:10} {count:5} reports: keystroke queries p50 {figures['p50_ms']:.1f} ms, "
                        f"p95 {figures['p95_ms']:.1f} ms; import {figures['import_s']:.2f} s; "
                        f"Word briefing {figures['word_briefing_s']:.2f} s"
                    )
                    library.close()
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return results


def _has_reports(library: Library) -> bool:
    from sqlalchemy import func, select

    from models.db.schema import Document

    with library.begin() as session:
        return bool(session.scalar(select(func.count()).select_from(Document)))
