"""The annotation layer: every action and its exact inverse, drop rules, queries, survival of rebuilds and crashes."""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import event, select

from models import annotations as a
from models.annotations import drops
from models.build.store import delete_document
from models.db import schema
from models.db.library import open_library
from models.paths import CODE_ROOT
from tests.annotation_fixtures import DOC, R1, R2, R2A, R2B, R3, store


@pytest.fixture
def lib(empty_library):
    """The small report in a new library, on SQLite and on PostgreSQL."""
    with empty_library.begin() as s:
        store(s)
    return empty_library


def act(lib, action, *args, **kwargs):
    with lib.begin() as s:
        return action(s, *args, **kwargs)


def undo(lib, changed):
    assert changed.inverse is not None
    with lib.begin() as s:
        return changed.inverse(s)


def _content(nodes):
    """Collection or tag nodes less who changed them, when, and their versions (an undo is a new version of the same content)."""
    return tuple(dataclasses.replace(node, author="", updated="", version=0, children=_content(node.children)) for node in nodes)


def state(lib):
    """Everything a user could see, less timestamps and versions."""
    with lib.begin() as s:
        rows = [{k: v for k, v in row.items() if k != "updated"} for row in a.export_annotations(s)]
        return rows, _content(a.collection_tree(s)), _content(a.tag_tree(s))


def ids_by_name(lib):
    with lib.begin() as s:
        collections = {r.name: r.id for r in s.scalars(select(a.UserCollection))}
        tags = {r.name: r.id for r in s.scalars(select(a.UserTag))}
    return collections, tags


@pytest.fixture
def annotated(lib):
    """A library with a bit of everything."""
    with lib.begin() as s:
        firearms = a.create_collection(s, "Firearms").ids[0]
        a.create_collection(s, "Ammunition")
        marking = a.create_collection(s, "Marking", parent_id=firearms).ids[0]
        a.add_to_collection(s, firearms, [R1, R2, R2A, R3])
        a.add_to_collection(s, marking, [R2B])
        topics = a.create_tag(s, "Topics").ids[0]
        child = a.create_tag(s, "Tracing", parent_id=topics).ids[0]
        a.tag_recommendations(s, topics, [R1, R2])
        a.tag_recommendations(s, child, [R2A])
        a.create_tag(s, "Other")
        a.set_note(s, R1, "Check with capital")
        a.set_position(s, [R1, R2], "support")
        a.set_priority(s, [R3], True)
        a.add_highlight(s, R1, 0, 6, "yellow")
        a.add_curated_link(s, R1, 12, 0, note="the first speaker")
        a.reject_link(s, R2, 12, 1)
    return lib


ACTIONS = {
    "create top-level collection": lambda s, c, t: a.create_collection(s, "New", row=0),
    "create nested collection": lambda s, c, t: a.create_collection(s, "Deep", parent_id=c["Marking"]),
    "rename collection": lambda s, c, t: a.rename_collection(s, c["Firearms"], "Arms"),
    "delete collection with children": lambda s, c, t: a.delete_collection(s, c["Firearms"]),
    "delete nested collection": lambda s, c, t: a.delete_collection(s, c["Marking"]),
    "move collection to top level": lambda s, c, t: a.move_collection(s, c["Marking"], None, 0),
    "move collection down its siblings": lambda s, c, t: a.move_collection(s, c["Briefing"], None, 3),
    "move collection up its siblings": lambda s, c, t: a.move_collection(s, c["Ammunition"], None, 0),
    "nest collection": lambda s, c, t: a.move_collection(s, c["Ammunition"], c["Firearms"], 0),
    "add to collection at a row": lambda s, c, t: a.add_to_collection(s, c["Firearms"], [R2B, R1], row=1),
    "add to empty collection": lambda s, c, t: a.add_to_collection(s, c["Briefing"], [R3, R1]),
    "remove from collection": lambda s, c, t: a.remove_from_collection(s, c["Firearms"], [R1, R2A]),
    "reorder collection items": lambda s, c, t: a.reorder_collection_items(s, c["Firearms"], [R1, R2A], None),
    "reorder collection items up": lambda s, c, t: a.reorder_collection_items(s, c["Firearms"], [R3], 0),
    "set collection order": lambda s, c, t: a.set_collection_order(s, c["Firearms"], [R3, R2A, R2, R1]),
    "create tag": lambda s, c, t: a.create_tag(s, "Fresh"),
    "create nested tag": lambda s, c, t: a.create_tag(s, "Sub", parent_id=t["Tracing"]),
    "rename tag": lambda s, c, t: a.rename_tag(s, t["Topics"], "Themes"),
    "delete tag with children": lambda s, c, t: a.delete_tag(s, t["Topics"]),
    "nest tag": lambda s, c, t: a.move_tag(s, t["Other"], t["Tracing"]),
    "unnest tag": lambda s, c, t: a.move_tag(s, t["Tracing"], None),
    "tag many": lambda s, c, t: a.tag_recommendations(s, t["Other"], [R1, R2, R3]),
    "untag many": lambda s, c, t: a.untag_recommendations(s, t["Topics"], [R1, R2]),
    "add note": lambda s, c, t: a.set_note(s, R2, "New note"),
    "change note": lambda s, c, t: a.set_note(s, R1, "Changed"),
    "delete note": lambda s, c, t: a.set_note(s, R1, ""),
    "set position": lambda s, c, t: a.set_position(s, [R1, R3], "oppose"),
    "clear position": lambda s, c, t: a.set_position(s, [R1, R2], None),
    "flag priority": lambda s, c, t: a.set_priority(s, [R1, R3], True),
    "unflag priority": lambda s, c, t: a.set_priority(s, [R3], False),
    "add highlight": lambda s, c, t: a.add_highlight(s, R1, 7, 12, "green"),
    "remove highlight": lambda s, c, t: a.remove_highlight(s, R1, 0, 6, "yellow"),
    "add curated link to paragraph": lambda s, c, t: a.add_curated_link(s, R2, 12, None, note="whole"),
    "remove curated link": lambda s, c, t: a.remove_curated_link(s, R1, 12, 0),
    "reject link": lambda s, c, t: a.reject_link(s, R1, 12, 1),
    "unreject link": lambda s, c, t: a.unreject_link(s, R2, 12, 1),
    "clear highlights": lambda s, c, t: a.clear_highlights(s, R1),
    "add highlights": lambda s, c, t: a.add_highlights(s, R2, [(0, 4, "yellow"), (5, 9, "green")]),
    "revert curated link": lambda s, c, t: a.revert_link(s, R1, 12, 0, a.CURATED_LINKS),
    "revert rejected link": lambda s, c, t: a.revert_link(s, R2, 12, 1, a.REJECTED_LINKS),
}


def test_clearing_many_highlights_is_one_action_with_one_inverse(annotated):
    with annotated.begin() as s:
        for start in (10, 20, 30):
            a.add_highlight(s, R1, start, start + 5, "green")
    before = state(annotated)
    span = act(annotated, a.clear_highlights, R1, 12, 22)  # overlaps 10..15 and 20..25 only
    assert span.previous == ((10, 15, "green"), (20, 25, "green"))
    with annotated.begin() as s:
        assert [h.start for h in a.recommendation_annotations(s, R1).highlights] == [0, 30]
    every = act(annotated, a.clear_highlights, R1)
    assert len(every.previous) == 2
    undo(annotated, every)
    undo(annotated, span)
    assert state(annotated) == before


def test_reverting_a_link_removes_the_remark_and_its_paragraph_in_one_action(annotated):
    with annotated.begin() as s:
        a.reject_link(s, R2, 12, None)  # the whole paragraph as well as its remark 1
    before = state(annotated)
    changed = act(annotated, a.revert_link, R2, 12, 1, a.REJECTED_LINKS)
    assert len(changed.previous) == 2
    with annotated.begin() as s:
        assert a.recommendation_annotations(s, R2).rejected_links == ()
    assert not act(annotated, a.revert_link, R2, 12, 1, a.REJECTED_LINKS).changed_anything
    undo(annotated, changed)
    assert state(annotated) == before


@pytest.mark.parametrize("name", ACTIONS)
def test_every_action_has_an_exact_inverse(annotated, name):
    collections, tags = ids_by_name(annotated)
    before = state(annotated)
    changed = act(annotated, ACTIONS[name], collections, tags)
    assert changed.changed_anything
    assert changed.keys or changed.ids
    after = state(annotated)
    assert after != before
    undone = undo(annotated, changed)
    assert state(annotated) == before
    undo(annotated, undone)  # redo
    assert state(annotated) == after


def test_a_new_library_has_one_empty_briefing_collection(tmp_path):
    library = open_library(tmp_path / "new.sqlite")
    try:
        with library.begin() as s:
            tree = a.collection_tree(s)
            assert [(n.name, n.count, n.is_briefing) for n in tree] == [("Briefing", 0, True)]
            assert a.briefing_collection_id(s) == tree[0].id
    finally:
        library.close()


def test_briefing_cannot_be_deleted_renamed_or_nested(annotated):
    collections, _ = ids_by_name(annotated)
    briefing = collections["Briefing"]
    for action in (
        lambda s: a.delete_collection(s, briefing),
        lambda s: a.rename_collection(s, briefing, "Mine"),
        lambda s: a.move_collection(s, briefing, collections["Firearms"]),
    ):
        with pytest.raises(a.AnnotationError, match="Briefing"):
            act(annotated, action)


def test_collection_names_are_checked(annotated):
    collections, _ = ids_by_name(annotated)
    for name in ("", "   ", "a / b"):
        with pytest.raises(a.AnnotationError):
            act(annotated, a.create_collection, name)
    with pytest.raises(a.AnnotationError, match="already"):
        act(annotated, a.create_collection, "firearms")  # case does not make a new name
    with pytest.raises(a.AnnotationError, match="already"):
        act(annotated, a.rename_collection, collections["Ammunition"], "FIREARMS")
    act(annotated, a.create_collection, "Marking")  # same name under another parent is fine
    assert act(annotated, a.create_collection, "  Spaced   out ").ids


@pytest.mark.parametrize(
    ("delete", "create", "what"),
    [
        (lambda s, c, t: a.delete_tag(s, t["Other"]), lambda s, c, t: a.create_tag(s, "other"), "tag “Other”"),
        (
            lambda s, c, t: a.delete_collection(s, c["Marking"]),
            lambda s, c, t: a.create_collection(s, "MARKING", parent_id=c["Firearms"]),
            "collection “Marking”",
        ),
    ],
    ids=["tag", "nested collection"],
)
def test_undoing_a_delete_is_refused_when_its_name_was_taken_meanwhile(annotated, delete, create, what):
    original = state(annotated)
    with annotated.begin() as s:
        deleted = delete(s, *ids_by_name(annotated))
    with annotated.begin() as s:
        taken = create(s, *ids_by_name(annotated))
    before = state(annotated)
    with pytest.raises(a.AnnotationError, match=f"The {what} cannot be brought back: there is already a"):
        undo(annotated, deleted)
    assert state(annotated) == before  # no second sibling of that name
    undo(annotated, taken)  # once the new one is gone, the old one comes back
    undo(annotated, deleted)
    assert state(annotated) == original


def test_a_collection_cannot_move_into_itself(annotated):
    collections, tags = ids_by_name(annotated)
    with pytest.raises(a.AnnotationError, match="itself"):
        act(annotated, a.move_collection, collections["Firearms"], collections["Marking"])
    with pytest.raises(a.AnnotationError, match="itself"):
        act(annotated, a.move_collection, collections["Firearms"], collections["Firearms"])
    with pytest.raises(a.AnnotationError, match="itself"):
        act(annotated, a.move_tag, tags["Topics"], tags["Tracing"])


def test_collection_holds_each_recommendation_once(annotated):
    collections, _ = ids_by_name(annotated)
    changed = act(annotated, a.add_to_collection, collections["Firearms"], [R1, R2, R1])
    assert not changed.changed_anything and changed.inverse is None
    changed = act(annotated, a.add_to_collection, collections["Firearms"], [R2B, R2B, R1], row=0)
    assert changed.keys == (a.RecommendationKey(*R2B),)
    with annotated.begin() as s:
        assert [i.key.number for i in a.collection_items(s, collections["Firearms"])] == ["2b", "1", "2", "2a", "3"]


@pytest.mark.parametrize(
    ("moving", "row", "expected"),
    [
        ([R1], None, ["2", "2a", "3", "1"]),
        ([R1, R2A], 4, ["2", "3", "1", "2a"]),
        ([R3], 0, ["3", "1", "2", "2a"]),
        ([R3, R1], 2, ["2", "1", "3", "2a"]),  # kept in their order within the collection
        ([R2], 2, ["1", "2", "2a", "3"]),  # dropped just below itself: no change
    ],
)
def test_reorder_drops_before_the_row_as_qt_reports_it(annotated, moving, row, expected):
    collections, _ = ids_by_name(annotated)
    changed = act(annotated, a.reorder_collection_items, collections["Firearms"], moving, row)
    with annotated.begin() as s:
        items = a.collection_items(s, collections["Firearms"])
    assert [i.key.number for i in items] == expected
    assert [i.position for i in items] == list(range(len(items)))
    assert changed.changed_anything == (expected != ["1", "2", "2a", "3"])


def test_notes_keep_exactly_what_was_typed(annotated):
    for text in ("=SUM(A1)", "+x", "-x", "@x", "\tx", "  leading", "Rapport — « examiner »", "توصية مهمة", "重要建议", "Важно"):
        changed = act(annotated, a.set_note, R2, text)
        with annotated.begin() as s:
            assert a.recommendation_annotations(s, R2).note == text
        undone = undo(annotated, changed)
        assert undone.previous == text
    changed = act(annotated, a.set_note, R1, "   ")
    assert changed.previous == "Check with capital"
    with annotated.begin() as s:
        assert a.recommendation_annotations(s, R1).note == ""
        assert s.get(a.UserNote, R1) is None
    assert not act(annotated, a.set_note, R1, "").changed_anything


def test_positions_and_highlights_are_checked(annotated):
    with pytest.raises(a.AnnotationError, match="position"):
        act(annotated, a.set_position, [R1], "maybe")
    with pytest.raises(a.AnnotationError, match="start"):
        act(annotated, a.add_highlight, R1, 5, 5, "yellow")
    assert not act(annotated, a.add_highlight, R1, 0, 6, "yellow").changed_anything
    assert not act(annotated, a.set_position, [R1, R2], "support").changed_anything
    assert not act(annotated, a.add_curated_link, R1, 12, 0).changed_anything
    assert not act(annotated, a.reject_link, R2, 12, 1).changed_anything
    changed = act(annotated, a.set_position, [R1, R3], "oppose")
    assert changed.keys == (a.RecommendationKey(*R1), a.RecommendationKey(*R3))
    assert dict(changed.previous) == {R1: "support", R3: None}


def test_queries_for_the_views(annotated):
    collections, tags = ids_by_name(annotated)
    with annotated.begin() as s:
        tree = a.collection_tree(s)
        assert [(n.name, n.count) for n in tree] == [("Briefing", 0), ("Firearms", 4), ("Ammunition", 0)]
        assert [(n.name, n.count) for n in tree[1].children] == [("Marking", 1)]
        tag_tree = a.tag_tree(s)
        assert [(n.name, n.count) for n in tag_tree] == [("Other", 0), ("Topics", 2)]
        assert [(n.name, n.count) for n in tag_tree[1].children] == [("Tracing", 1)]
        items = a.collection_items(s, collections["Firearms"])
        assert items[0].text == "States should mark firearms at the time of manufacture."
        assert items[2].text == "Record-keeping"

        view = a.recommendation_annotations(s, R1)
        assert view.note == "Check with capital" and view.position == "support" and not view.priority
        assert view.highlights == (a.Highlight(0, 6, "yellow"),)
        assert [t.path for t in view.tags] == ["Topics"]
        assert [c.path for c in view.collections] == ["Firearms"]
        assert view.curated_links == (a.LinkRef(12, 0, "the first speaker"),)
        view = a.recommendation_annotations(s, R2A)
        assert [t.path for t in view.tags] == ["Topics / Tracing"]
        assert view.rejected_links == ()
        assert a.recommendation_annotations(s, R2).rejected_links == (a.LinkRef(12, 1),)
        assert a.recommendation_annotations(s, (DOC, "99")).note == ""


def test_markers_for_many_recommendations_take_one_statement(annotated):
    collections, tags = ids_by_name(annotated)
    keys = [R1, R2, R3, R2B] + [(DOC, str(n)) for n in range(100, 1100)]
    statements = []
    with annotated.begin() as s:
        event.listen(annotated.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        markers = a.annotation_markers(s, keys)
    queries = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 1  # 1,004 keys in one JSON parameter
    assert markers[R1] == a.AnnotationMarkers(
        note=True,
        position="support",
        priority=False,
        highlights=1,
        tag_ids=(tags["Topics"],),
        collection_ids=(collections["Firearms"],),
        curated_links=1,
    )
    assert markers[R3].priority and markers[R3].collection_ids == (collections["Firearms"],)
    assert markers[R2B].collection_ids == (collections["Marking"],)
    assert markers[(DOC, "100")] is a.NO_MARKERS and not markers[(DOC, "100")].any
    assert len(markers) == len(keys)


# --------------------------------------------------------------------------- drop rules


@pytest.mark.parametrize(
    ("payload", "target", "flags", "action"),
    [
        (drops.RECOMMENDATIONS, drops.ON_COLLECTION, {}, drops.ADD_TO_COLLECTION),
        (drops.RECOMMENDATIONS, drops.IN_COLLECTION, {}, drops.ADD_TO_COLLECTION),
        (drops.RECOMMENDATIONS, drops.ON_TAG, {}, drops.TAG_RECOMMENDATIONS),
        (drops.RECOMMENDATIONS, drops.ON_RECOMMENDATION, {}, None),
        (drops.RECOMMENDATIONS, drops.ON_COLLECTIONS_ROOT, {}, None),
        (drops.COLLECTION_ITEMS, drops.IN_COLLECTION, {"same_collection": True}, drops.REORDER),
        (drops.COLLECTION_ITEMS, drops.ON_COLLECTION, {"same_collection": True}, None),
        (drops.COLLECTION_ITEMS, drops.IN_COLLECTION, {}, drops.ADD_TO_COLLECTION),
        (drops.COLLECTION_ITEMS, drops.ON_COLLECTION, {}, drops.ADD_TO_COLLECTION),
        (drops.COLLECTION_ITEMS, drops.ON_TAG, {"same_collection": True}, drops.TAG_RECOMMENDATIONS),
        (drops.REMARK, drops.ON_RECOMMENDATION, {}, drops.CURATED_LINK),
        (drops.PARAGRAPH, drops.ON_RECOMMENDATION, {}, drops.CURATED_LINK),
        (drops.REMARK, drops.ON_RECOMMENDATION, {"same_document": False}, None),
        (drops.REMARK, drops.ON_COLLECTION, {}, None),
        (drops.PARAGRAPH, drops.ON_TAG, {}, None),
        (drops.COLLECTION, drops.ON_COLLECTION, {}, drops.MOVE_COLLECTION),
        (drops.COLLECTION, drops.ON_COLLECTIONS_ROOT, {}, drops.MOVE_COLLECTION),
        (drops.COLLECTION, drops.ON_TAG, {}, None),
        (drops.TAG, drops.ON_TAG, {}, drops.MOVE_TAG),
        (drops.TAG, drops.ON_TAGS_ROOT, {}, drops.MOVE_TAG),
        (drops.TAG, drops.ON_COLLECTION, {}, None),
        ("something else", drops.ON_TAG, {}, None),
    ],
)
def test_drop_rules(payload, target, flags, action):
    assert drops.drop_action(payload, target, **flags) == action
    assert drops.can_drop(payload, target, **flags) == (action is not None)


def test_drop_rules_keep_each_recommendation_once_and_refuse_cycles():
    assert drops.keys_to_add([R1, R2], [R2, R3, R3, R1, R2A]) == [R3, R2A]
    assert drops.keys_to_add([R1], [R1]) == []
    parents = {1: None, 2: 1, 3: 2, 4: None}
    assert drops.can_nest(4, 3, parents) and drops.can_nest(3, None, parents) and drops.can_nest(2, 4, parents)
    assert not drops.can_nest(1, 3, parents) and not drops.can_nest(2, 2, parents)


def test_drop_payload_travels_as_json():
    payload = drops.DropPayload(
        drops.COLLECTION_ITEMS, keys=(a.RecommendationKey(*R1), a.RecommendationKey("é/1", "47a")), collection_id=3
    )
    assert drops.DropPayload.from_json(payload.to_json()) == payload
    remark = drops.DropPayload(drops.REMARK, document_key=DOC, paragraph=12, remark_position=0)
    assert drops.DropPayload.from_json(remark.to_json()) == remark
    for junk in ("", "[]", "{}", '{"kind": "pickle"}', '{"kind": "recommendations", "keys": [["", "1"]]}', "nonsense"):
        assert drops.DropPayload.from_json(junk) is None


# --------------------------------------------------------------------------- survival


def test_annotations_survive_deleting_and_reimporting_the_document(annotated):
    before = state(annotated)
    collections, _ = ids_by_name(annotated)
    with annotated.begin() as s:
        delete_document(s, s.scalar(select(schema.Document).where(schema.Document.key == DOC)))
    assert state(annotated) == before
    with annotated.begin() as s:
        assert s.scalar(select(schema.Recommendation.id)) is None
        assert {i.text for i in a.collection_items(s, collections["Firearms"])} == {None}  # kept, shown as missing
    with annotated.begin() as s:
        store(s)
    assert state(annotated) == before
    with annotated.begin() as s:
        assert a.collection_items(s, collections["Firearms"])[0].text.startswith("States should mark")
        assert a.recommendation_annotations(s, R1).note == "Check with capital"


CHILD = """
import os, signal, sys
from models.db.library import open_library
from models import annotations as a
lib = open_library(sys.argv[1])
with lib.begin() as s:
    cid = a.create_collection(s, "Crash test").ids[0]
with lib.begin() as s:
    a.add_to_collection(s, cid, [("doc", "1"), ("doc", "2")])
with lib.begin() as s:
    a.set_note(s, ("doc", "1"), "written before the crash ✓")
with lib.begin() as s:
    a.set_position(s, [("doc", "2")], "needs_instructions")
print("committed", flush=True)
if sys.argv[2] == "exit":
    os._exit(1)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("death", ["exit", pytest.param("sigkill", marks=pytest.mark.skipif(os.name == "nt", reason="POSIX"))])
def test_committed_changes_survive_a_killed_process(tmp_path, death):
    path = tmp_path / "library.sqlite"
    open_library(path).close()
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(path), death],
        cwd=CODE_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "committed" in result.stdout, result.stderr
    assert result.returncode == (1 if death == "exit" else -signal.SIGKILL)
    library = open_library(path)
    try:
        with library.begin() as s:
            crash = next(n for n in a.collection_tree(s) if n.name == "Crash test")
            assert [i.key for i in a.collection_items(s, crash.id)] == [("doc", "1"), ("doc", "2")]
            assert a.recommendation_annotations(s, ("doc", "1")).note == "written before the crash ✓"
            assert a.recommendation_annotations(s, ("doc", "2")).position == "needs_instructions"
    finally:
        library.close()


def test_positions_have_one_definition_that_the_table_check_matches(lib):
    check = next(c for c in a.UserPosition.__table__.constraints if c.name == "ck_user_position_position")
    assert re.findall(r"'(\w+)'", str(check.sqltext)) == list(a.POSITIONS) == list(a.POSITION_LABELS)
    with lib.begin() as s, pytest.raises(a.AnnotationError, match="Unknown position “abstain”; use one of support, "):
        a.set_position(s, [R1], "abstain")


@pytest.mark.parametrize("kind", ["collection", "tag"])
def test_collections_and_tags_nest_by_the_same_rules(annotated, kind):
    create, rename, delete = (getattr(a, f"{verb}_{kind}") for verb in ("create", "rename", "delete"))
    parent = act(annotated, create, "Parent").ids[0]
    child = act(annotated, create, "Child", parent).ids[0]
    grandchild = act(annotated, create, "Grandchild", child).ids[0]
    with pytest.raises(a.AnnotationError, match=f"already a {kind} named “Child”"):
        act(annotated, create, "CHILD", parent)
    act(annotated, rename, child, "parent")  # a name may repeat under another parent
    with pytest.raises(a.AnnotationError, match=f"already a {kind} named “Parent”"):
        act(annotated, rename, act(annotated, create, "Other name").ids[0], " parent ")
    deleted = act(annotated, delete, parent)
    assert isinstance(deleted.previous, a.NodeSnapshot) and deleted.ids == (parent, child, grandchild)
    restored = undo(annotated, deleted)
    assert restored.ids == (parent, child, grandchild)
    with pytest.raises(a.AnnotationError, match=f"That {kind} no longer exists"):
        act(annotated, rename, 10_000, "Gone")
