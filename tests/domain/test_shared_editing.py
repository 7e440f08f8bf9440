"""Several people on one library: who wrote what, and no lost update (on SQLite and PostgreSQL).

Two `Library` objects on the same database stand for two members' apps.
"""

from __future__ import annotations

import io

import pytest

from models import annotations as a
from models.db.library import open_library
from tests.annotation_fixtures import R1, R2, store


@pytest.fixture
def two_members(empty_library):
    """Anna's and Ben's apps on the same library."""
    with empty_library.begin() as s:
        store(s)
    anna = empty_library
    anna.author = "anna"
    ben = open_library(anna.url if anna.url else anna.path)
    ben.author = "ben"
    yield anna, ben
    ben.close()


def act(library, action, *args, **kwargs):
    with library.begin() as s:
        return action(s, *args, **kwargs)


def test_every_annotation_records_its_author(two_members):
    anna, ben = two_members
    act(anna, a.set_note, R1, "Check with capital")
    act(ben, a.set_position, [R1], "support")
    act(ben, a.add_to_collection, act(ben, a.briefing_collection_id), [R2])
    rows = act(anna, a.export_annotations)
    assert {(r["kind"], r["author"]) for r in rows} == {("note", "anna"), ("position", "ben"), ("collection_item", "ben")}
    details = act(anna, a.recommendation_annotations, R1)
    assert (details.note_author, details.position_author) == ("anna", "ben")
    assert details.note_updated.endswith("Z")
    act(ben, a.set_note, R1, "Capital agrees", seen_version=details.note_version)
    assert act(anna, a.recommendation_annotations, R1).note_author == "ben"


def test_a_stale_note_is_refused_and_shows_the_other_value(two_members):
    anna, ben = two_members
    seen = act(anna, a.recommendation_annotations, R1).note_version
    assert seen == 0  # no note yet
    act(ben, a.set_note, R1, "Ben's note", seen_version=seen)
    with pytest.raises(a.StaleEditError) as refused:
        act(anna, a.set_note, R1, "Anna's note", seen_version=seen)
    error = refused.value
    assert (error.current, error.author, error.version) == ("Ben's note", "ben", 1)
    assert "ben changed it" in str(error)
    assert act(anna, a.recommendation_annotations, R1).note == "Ben's note"  # nothing was lost
    # Anna replaces it knowingly, with the version she has now seen.
    done = act(anna, a.set_note, R1, "Anna's note", seen_version=error.version)
    assert done.versions == (2,)
    assert act(ben, a.recommendation_annotations, R1).note == "Anna's note"


def test_undo_does_not_overwrite_someone_elses_later_change(two_members):
    anna, ben = two_members
    done = act(anna, a.set_note, R1, "first")
    act(ben, a.set_note, R1, "Ben's")
    with pytest.raises(a.StaleEditError):
        act(anna, done.inverse)
    assert act(anna, a.recommendation_annotations, R1).note == "Ben's"


def test_a_stale_position_is_refused(two_members):
    anna, ben = two_members
    seen = act(anna, a.recommendation_annotations, R1).position_version
    act(ben, a.set_position, [R1], "oppose", seen=[(R1, seen)])
    with pytest.raises(a.StaleEditError) as refused:
        act(anna, a.set_position, [R1], "support", seen=[(R1, seen)])
    assert refused.value.current == "oppose"
    assert act(anna, a.recommendation_annotations, R1).position == "oppose"


def test_an_old_annotations_file_without_author_still_merges(two_members):
    anna, _ben = two_members
    old = (
        "document,recommendation,kind,value,collection,tag,note,position,updated\n"
        f"{R2[0]},{R2[1]},note,,,,From the capital,,2026-01-02T03:04:05Z\n"
    )
    report = act(anna, a.merge_annotations_csv, io.StringIO(old, newline=""))
    assert report.added == 1
    assert act(anna, a.recommendation_annotations, R2).note_author == "anna"  # who merged it
