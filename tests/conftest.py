"""Shared fixtures: the shipped report parsed, and libraries built from it in temporary files.

Tests never write to the committed data.sqlite: they build their own copies.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # tests drive real widgets, headless

from models.db.library import open_library
from models.paths import EMBEDDED_CORPUS

REPORT = Path(__file__).resolve().parent.parent / "resources" / "reports" / "wg-firearms-2021.txt"


@pytest.fixture(scope="session")
def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def parsed_report(report_text):
    from models.parse.parser import parse_report

    return parse_report(report_text)


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory) -> Path:
    """A library built from resources/ by the same code as `xref-explorer build`."""
    from models.build.ingest import build_corpus

    return build_corpus(tmp_path_factory.mktemp("corpus") / "data.sqlite")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """An empty library at the current schema, made once per run."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite"
    open_library(path).close()
    return path


@pytest.fixture
def new_library_path(tmp_path, migrated_template) -> Path:
    """A new, empty library file at the current schema: a copy of the migrated template (copying takes
    about 15 ms where running every migration takes about 100 ms)."""
    path = tmp_path / "new-library.sqlite"
    shutil.copyfile(migrated_template, path)
    return path


ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster (initdb + pg_ctl on a temporary directory, Unix socket only)."""
    from models.db.pg_cluster import ClusterUnavailable, start_cluster

    try:
        cluster = start_cluster()
    except ClusterUnavailable as error:
        if os.environ.get("CI"):  # CI installs PostgreSQL: there, no server is a failure, not a skip
            pytest.fail(f"PostgreSQL is needed in CI: {error}")
        pytest.skip(str(error))
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="session")
def pg_corpus_template(pg_cluster) -> str:
    """A database on the test cluster holding the shipped reports, built by the same pipeline as
    `xref-explorer build`; tests get copies of it (CREATE DATABASE ... TEMPLATE)."""
    from models.build.ingest import ingest_text, shipped_reports, source_hash

    url = pg_cluster.create_database("corpus_template")
    lib = open_library(url)
    with lib.begin() as s:
        for path in shipped_reports():
            data = path.read_bytes()
            ingest_text(s, data.decode("utf-8"), source_name=path.name, source_hash=source_hash(data))
    lib.close()
    return "corpus_template"


_databases = iter(range(1, 1_000_000))


def new_pg_library_url(cluster, template: str | None = None) -> str:
    """A new database on the test cluster (a copy of ``template``, or empty), as a library URL."""
    import psycopg

    name = f"lib_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(cluster.conninfo(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return cluster.url(name)


@pytest.fixture(params=ENGINES)
def engine_name(request) -> str:
    """Each test using it runs once on SQLite and once on PostgreSQL."""
    return request.param


@pytest.fixture
def library(tmp_path, engine_name, request):
    """A writable copy of the shipped corpus, opened: the embedded file on SQLite, the built
    template on PostgreSQL."""
    if engine_name == "postgresql":
        cluster = request.getfixturevalue("pg_cluster")
        lib = open_library(new_pg_library_url(cluster, request.getfixturevalue("pg_corpus_template")))
    else:
        path = tmp_path / "library.sqlite"
        shutil.copyfile(EMBEDDED_CORPUS, path)
        lib = open_library(path)
    yield lib
    lib.close()


@pytest.fixture
def empty_library(tmp_path, engine_name, request):
    """A new, empty library on either engine."""
    if engine_name == "postgresql":
        lib = open_library(new_pg_library_url(request.getfixturevalue("pg_cluster")))
    else:
        lib = open_library(request.getfixturevalue("new_library_path"))
    yield lib
    lib.close()


@pytest.fixture
def session(library):
    with library.begin() as s:
        yield s


@pytest.fixture(scope="session")
def corpus_library(built_corpus):
    """The freshly built corpus, opened (shared, read-only by convention)."""
    lib = open_library(built_corpus)
    yield lib
    lib.close()


@pytest.fixture
def corpus(corpus_library):
    """A session on the freshly built corpus, rolled back after the test."""
    with corpus_library.sessions() as s:
        yield s
        s.rollback()


@pytest.fixture(scope="session", autouse=True)
def _release_clipboard():
    """Empty the clipboard before Qt shuts down: tearing down one that holds data crashes offscreen Qt."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        app.clipboard().clear()
