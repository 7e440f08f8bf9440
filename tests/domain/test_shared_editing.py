"""Several people on one library: who wrote what, and no lost update (on SQLite and PostgreSQL).

Two `Library` objects on the same database stand for two members' apps.
"""

from __future__ import annotations

import io
import threading

import pytest
from sqlalchemy import select

from models import annotations as a
from models.db.library import open_library
from tests.annotation_fixtures import R1, R2, R3, store


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


def act_write(library, action, *args, **kwargs):
    """One action as the app runs it: a transaction holding the write lock from its start."""
    with library.write() as s:
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


# --------------------------------------------------------------------------- collections and tags


def _collection(library, name="Marking", parent=None):
    return act(library, a.create_collection, name, parent).ids[0]


def _node(tree, node_id):
    for node in tree:
        if node.id == node_id:
            return node
        found = _node(node.children, node_id)
        if found is not None:
            return found
    return None


def _seen(library, node_id, tree=a.collection_tree):
    return _node(act(library, tree), node_id).version


def test_a_stale_collection_rename_is_refused_and_shows_the_other_name(two_members):
    anna, ben = two_members
    marking = _collection(anna)
    seen_by_anna = seen_by_ben = _seen(anna, marking)
    done = act(ben, a.rename_collection, marking, "Marking (Ben)", seen_version=seen_by_ben)
    assert done.versions == (seen_by_ben + 1,)
    with pytest.raises(a.StaleEditError) as refused:
        act(anna, a.rename_collection, marking, "Marking (Anna)", seen_version=seen_by_anna)
    error = refused.value
    assert (error.what, error.node_id, error.current, error.author) == ("collection", marking, "Marking (Ben)", "ben")
    assert "ben changed it" in str(error) and "this collection" in str(error)
    node = _node(act(anna, a.collection_tree), marking)
    assert (node.name, node.author) == ("Marking (Ben)", "ben")  # nothing was lost
    # Anna replaces it knowingly, with the version she has now seen.
    act(anna, a.rename_collection, marking, "Marking (Anna)", seen_version=error.version)
    assert _node(act(ben, a.collection_tree), marking).name == "Marking (Anna)"


def test_adding_to_a_collection_someone_deleted_is_refused_and_orphans_nothing(two_members):
    anna, ben = two_members
    marking = _collection(anna)
    act(anna, a.add_to_collection, marking, [R1])
    act(anna, a.delete_collection, marking, seen_version=_seen(anna, marking))
    with pytest.raises(a.StaleEditError) as refused:
        act(ben, a.add_to_collection, marking, [R2])
    assert refused.value.current is None and "no longer exists" in str(refused.value)
    with pytest.raises(a.StaleEditError):
        act(ben, a.reorder_collection_items, marking, [R1], 0)
    with ben.begin() as s:
        assert s.query(a.UserCollectionItem).filter_by(collection_id=marking).count() == 0
        assert s.get(a.UserCollection, marking) is None  # not recreated
    assert a.RecommendationKey(*R2) not in {
        key for node in act(ben, a.collection_tree) for key in (item.key for item in act(ben, a.collection_items, node.id))
    }


def test_a_delete_waits_for_an_add_in_progress_and_keeps_it_for_undo(two_members):
    """Two transactions at once: Ben's delete waits for Anna's add to commit, then deletes (and
    can restore) her item too; nothing is orphaned on either engine."""
    anna, ben = two_members
    marking = _collection(anna)
    deleted: list = []
    with anna.write() as s:
        a.add_to_collection(s, marking, [R1])
        worker = threading.Thread(target=lambda: deleted.append(act_write(ben, a.delete_collection, marking)))
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()  # blocked by Anna's transaction
    worker.join(10)
    snapshot = deleted[0].previous
    assert [key for key, _ in snapshot.items] == [a.RecommendationKey(*R1)]
    restored = act_write(ben, deleted[0].inverse)
    assert restored.ids == (marking,)
    assert [item.key for item in act(anna, a.collection_items, marking)] == [a.RecommendationKey(*R1)]


def test_an_add_waiting_for_a_delete_in_progress_is_refused(two_members):
    anna, ben = two_members
    marking = _collection(anna)
    outcome: list = []

    def add() -> None:
        try:
            act_write(ben, a.add_to_collection, marking, [R2])
        except a.StaleEditError as error:
            outcome.append(error)

    with anna.write() as s:
        a.delete_collection(s, marking)
        worker = threading.Thread(target=add)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()
    worker.join(10)
    assert len(outcome) == 1 and outcome[0].current is None
    with ben.begin() as s:
        assert s.query(a.UserCollectionItem).count() == 0


def test_two_moves_of_one_collection_the_second_is_refused(two_members):
    anna, ben = two_members
    left, right, moving = _collection(anna, "Left"), _collection(anna, "Right"), _collection(anna, "Moving")
    seen = _seen(anna, moving)
    act(ben, a.move_collection, moving, left, seen_version=seen)
    with pytest.raises(a.StaleEditError) as refused:
        act(anna, a.move_collection, moving, right, seen_version=seen)
    assert refused.value.current == "Left / Moving"
    assert _node(act(anna, a.collection_tree), moving).parent_id == left
    act(anna, a.move_collection, moving, right, seen_version=refused.value.version)
    assert _node(act(ben, a.collection_tree), moving).parent_id == right


def test_a_sibling_moving_past_is_no_edit_of_a_collection(two_members):
    anna, ben = two_members
    first, second = _collection(anna, "First"), _collection(anna, "Second")
    seen = _seen(anna, first)
    act(ben, a.move_collection, second, None, 0)  # Second before First: First's position changes
    act(anna, a.rename_collection, first, "First, renamed", seen_version=seen)  # not refused
    assert _node(act(ben, a.collection_tree), first).author == "anna"


def test_two_reorders_of_one_collection_the_second_is_refused(two_members):
    anna, ben = two_members
    marking = _collection(anna)
    act(anna, a.add_to_collection, marking, [R1, R2, R3])
    seen = _seen(anna, marking)
    act(ben, a.reorder_collection_items, marking, [R3], 0, seen_version=seen)
    with pytest.raises(a.StaleEditError):
        act(anna, a.reorder_collection_items, marking, [R2], None, seen_version=seen)
    assert [i.key.number for i in act(anna, a.collection_items, marking)] == ["3", "1", "2"]


def test_undo_of_a_rename_does_not_overwrite_a_later_one(two_members):
    anna, ben = two_members
    marking = _collection(anna)
    done = act(anna, a.rename_collection, marking, "Mine")
    act(ben, a.rename_collection, marking, "Ben's", seen_version=done.versions[0])
    with pytest.raises(a.StaleEditError):
        act(anna, done.inverse)
    assert _node(act(anna, a.collection_tree), marking).name == "Ben's"
    # Without Ben's change, the undo and its redo go through.
    redo = act(ben, act(ben, a.rename_collection, marking, "Ben's again").inverse).inverse
    act(ben, redo)
    assert _node(act(anna, a.collection_tree), marking).name == "Ben's again"


def test_tags_refuse_stale_edits_and_tagging_a_deleted_tag(two_members):
    anna, ben = two_members
    urgent = act(anna, a.create_tag, "urgent").ids[0]
    seen = _seen(anna, urgent, a.tag_tree)
    act(ben, a.rename_tag, urgent, "very urgent", seen_version=seen)
    with pytest.raises(a.StaleEditError) as refused:
        act(anna, a.delete_tag, urgent, seen_version=seen)
    assert refused.value.current == "very urgent" and refused.value.what == "tag"
    act(anna, a.delete_tag, urgent, seen_version=refused.value.version)
    with pytest.raises(a.StaleEditError):
        act(ben, a.tag_recommendations, urgent, [R1])
    with ben.begin() as s:
        assert s.query(a.UserTagItem).count() == 0


def _each_at_once(action, members, timeout: float = 60) -> None:
    """Run ``action(member)`` for every member in threads of their own, and wait for all of them."""
    workers = [threading.Thread(target=action, args=(member,)) for member in members]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout)


def test_moves_among_siblings_at_the_same_moment_keep_their_positions_whole(two_members):
    """Anna and Ben reorder different collections of one list at the same moment, again and again, and
    move some into and out of it: every list keeps positions 0, 1, 2... with no gap and no tie."""
    anna, ben = two_members
    folder = _collection(anna, "Folder")
    mine = {member.author: [_collection(anna, f"{member.author} {n}", folder) for n in range(3)] for member in two_members}
    elsewhere = _collection(anna, "Elsewhere")
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def reorder(member) -> None:
        try:
            start.wait(10)
            for turn in range(12):
                moving = mine[member.author][turn % 3]
                target = (folder, turn % 4) if turn % 5 else (elsewhere, None)
                act_write(member, a.move_collection, moving, *target)
                if target[0] == elsewhere:
                    act_write(member, a.move_collection, moving, folder, 0)
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)

    _each_at_once(reorder, two_members)
    assert not failures, failures
    for parent in (folder, elsewhere):
        with anna.begin() as s:
            positions = sorted(s.scalars(select(a.UserCollection.position).where(a.UserCollection.parent_id == parent)).all())
        assert positions == list(range(len(positions))), (parent, positions)
    with anna.begin() as s:
        assert sorted(s.scalars(select(a.UserCollection.name).where(a.UserCollection.parent_id == folder))) == sorted(
            f"{m.author} {n}" for m in two_members for n in range(3)
        )


def test_two_collections_of_one_name_created_at_the_same_moment_one_is_refused(two_members):
    """Names are unique among siblings even when two people create the same one at the same moment."""
    outcomes: list = []
    start = threading.Barrier(2)

    def create(member) -> None:
        start.wait(10)
        try:
            outcomes.append(act_write(member, a.create_collection, "Marking"))
        except a.AnnotationError as error:
            outcomes.append(error)

    _each_at_once(create, two_members)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["AnnotationError", "Changed"]
    assert [node.name for node in act(two_members[0], a.collection_tree)].count("Marking") == 1
