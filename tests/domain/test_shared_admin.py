"""Setting up a shared library as the README says: `admin init` by the database's owner, `admin grant`.

Each test makes its own administrator role and database on the test cluster, as the README's
`createuser` and `createdb` do. The group roles (`xref_reader`...) belong to the whole cluster, so
other tests may have created them already: nothing here relies on their absence.
"""

from __future__ import annotations

import itertools
import os

import psycopg
import pytest

from models.cli.commands import main
from models.db.library import open_library
from models.db.pg_admin import abilities

_names = itertools.count(1)


@pytest.fixture
def server(pg_cluster):
    """Runs SQL as the cluster's superuser (`sudo -u postgres psql -c ...`)."""

    def run(sql: str, database: str = "postgres") -> list[tuple]:
        with psycopg.connect(pg_cluster.conninfo(database), autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else []

    return run


@pytest.fixture
def delegation(pg_cluster, server):
    """``(admin_role, database, url_as_admin)`` after `createuser [--createrole] ADMIN` and
    `createdb --owner ADMIN DB`; ``createrole`` says whether the role got CREATEROLE."""

    def make(*, createrole: bool) -> tuple[str, str, str]:
        n = next(_names)
        admin, database = f"admin_{os.getpid()}_{n}", f"delegation_{os.getpid()}_{n}"
        server(f'CREATE ROLE "{admin}" LOGIN' + (" CREATEROLE" if createrole else ""))
        server(f'CREATE DATABASE "{database}" OWNER "{admin}"')
        return admin, database, pg_cluster.url(database, user=admin)

    return make


def tables_in(server, database: str) -> int:
    return server("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database)[0][0]


def test_the_readme_steps_set_up_a_library_a_member_can_annotate(server, delegation, capsys):
    admin, _database, url = delegation(createrole=True)
    assert main(["--db", url, "admin", "init"]) == 0
    assert "xref_reader" in capsys.readouterr().out
    member = f"anna_{os.getpid()}_{next(_names)}"
    server(f'CREATE ROLE "{member}" LOGIN')
    assert main(["--db", url, "admin", "grant", member, "editor"]) == 0
    assert f"{member} is now editor" in capsys.readouterr().out
    library = open_library(url.replace(f"{admin}@", f"{member}@"))
    try:
        with library.begin() as session:
            can = abilities(session)
    finally:
        library.close()
    assert (can.role, can.annotate, can.maintain) == (member, True, False)


def test_init_by_a_role_that_may_not_create_roles_is_refused_before_anything_is_created(server, delegation, capsys):
    admin, database, url = delegation(createrole=False)
    assert main(["--db", url, "admin", "init"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert f"Your database role ({admin}) may not create roles" in err
    assert f'ALTER ROLE "{admin}" CREATEROLE' in err and "nothing was changed" in err
    assert tables_in(server, database) == 0  # no schema, no alembic_version: "nothing was changed" holds

    server(f'ALTER ROLE "{admin}" CREATEROLE')  # as the message says
    assert main(["--db", url, "admin", "init"]) == 0
    assert tables_in(server, database) > 0


def test_grant_before_init_says_to_run_init_first(server, delegation, capsys):
    _admin, _database, url = delegation(createrole=True)
    member = f"ben_{os.getpid()}_{next(_names)}"
    server(f'CREATE ROLE "{member}" LOGIN')
    assert main(["--db", url, "admin", "grant", member, "reader"]) == 1
    err = capsys.readouterr().err
    assert "run `xref-explorer admin init` first" in err and "does not exist" not in err
    assert main(["--db", url, "admin", "init"]) == 0
    assert main(["--db", url, "admin", "grant", member, "reader"]) == 0


def test_init_by_a_role_that_does_not_own_the_database_is_refused(server, delegation, capsys):
    owner, database, url = delegation(createrole=True)
    assert main(["--db", url, "admin", "init"]) == 0
    other, _other_database, _ = delegation(createrole=True)
    assert main(["--db", url, "admin", "grant", other, "reader"]) == 0  # it may read the library, no more
    capsys.readouterr()
    assert main(["--db", url.replace(f"{owner}@", f"{other}@"), "admin", "init"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert f"does not own the database {database}: run admin init as its owner ({owner})" in err
