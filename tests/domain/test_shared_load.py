"""Concurrent editors and a server restart on a shared library (small sizes; the full load test is
`xref-explorer bench-shared`, which prints figures)."""

from __future__ import annotations

from models.bench.shared import fault_test, load_test
from tests.conftest import new_pg_library_url


def test_concurrent_edits_are_stored_or_refused_as_stale_never_lost(pg_cluster, pg_corpus_template):
    url = new_pg_library_url(pg_cluster, pg_corpus_template)
    result = load_test(url, clients=6, edits=30)
    assert result.stored + result.stale == 6 * 30
    assert result.stale > 0  # the clients did collide, and were refused
    assert result.stale_shown == result.stale  # each refusal carried the other person's value
    assert result.problems == []


def test_a_server_restart_mid_edits_is_recovered_and_loses_nothing(pg_cluster, pg_corpus_template):
    url = new_pg_library_url(pg_cluster, pg_corpus_template)
    result = fault_test(url, pg_cluster.restart, edits=40)
    assert result.recovered and result.consistent
    assert result.stored > 0
