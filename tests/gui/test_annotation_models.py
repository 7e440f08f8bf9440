"""The annotation item models without views: qtmodeltester, data per role, mimeData -> dropMimeData, undo.

Runs on a copy of the real report (conftest's ``library``); never the committed file.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack

from desktop.annotation_gateway import AnnotationGateway
from desktop.annotation_ops import AnnotationOps
from desktop.gateway import LibraryGateway
from desktop.itemmodels.annotation_tree import COLLECTION, COLLECTIONS_ROOT, TAG, TAGS_ROOT, AnnotationTreeModel
from desktop.itemmodels.collection_items import CollectionItemsModel
from desktop.itemmodels.columns import column_index
from desktop.itemmodels.mime import TEXT_HTML, TEXT_PLAIN, payload_mime, payload_of
from desktop.itemmodels.recommendation_table import RecommendationTableModel
from desktop.itemmodels.roles import CountRole, IdRole, KeyRole, KindRole
from desktop.itemmodels.section_drag import DraggableSectionTreeModel
from models import annotations as a
from models.annotations import drops
from models.annotations.drops import MIME_TYPE
from models.queries.filters import RecommendationFilter

COPY, MOVE = Qt.DropAction.CopyAction, Qt.DropAction.MoveAction


@pytest.fixture
def ops(library, qapp):
    stack = QUndoStack()
    operations = AnnotationOps(AnnotationGateway(library), stack)
    yield operations
    stack.clear()


@pytest.fixture
def table(library, ops):
    model = RecommendationTableModel(LibraryGateway(library))
    model.annotations = ops
    model.set_filter(RecommendationFilter())
    ops.changed.connect(lambda changed: model.refresh_keys(changed.keys))
    return model


@pytest.fixture
def tree(ops):
    model = AnnotationTreeModel(ops)
    ops.changed.connect(lambda _changed: model.refresh())
    return model


def row_of(table, number: str) -> int:
    return next(r for r in range(table.rowCount()) if table.row_data(r).number == number)


def keys_of(table, *numbers: str) -> list[a.RecommendationKey]:
    return [table.row_data(row_of(table, n)).key for n in numbers]


def drag_rows(table, *numbers: str):
    return table.mimeData([table.index(row_of(table, n), 2) for n in numbers])


def collection_index(tree, name: str) -> QModelIndex:
    root = tree.index(0, 0)
    for row in range(tree.rowCount(root)):
        index = tree.index(row, 0, root)
        if index.data() == name:
            return index
    raise AssertionError(name)


def test_models_pass_the_model_tester(qtmodeltester, ops, table, tree):
    a_id = ops.create_collection("Firearms").ids[0]
    ops.create_collection("Marking", a_id)
    ops.create_tag("Urgent")
    ops.add_to_collection(a_id, keys_of(table, "3", "18"))
    items = CollectionItemsModel(ops)
    items.set_collection(a_id)
    qtmodeltester.check(tree)
    qtmodeltester.check(items)
    qtmodeltester.check(table)
    sections = DraggableSectionTreeModel(
        LibraryGateway(ops.gateway.library).section_tree(), LibraryGateway(ops.gateway.library).recommendation_rows
    )
    qtmodeltester.check(sections)


def test_new_library_shows_an_empty_briefing_and_no_tags(tree):
    collections, tags = tree.index(0, 0), tree.index(1, 0)
    assert (collections.data(KindRole), tags.data(KindRole)) == (COLLECTIONS_ROOT, TAGS_ROOT)
    briefing = tree.index(0, 0, collections)
    assert briefing.data() == "Briefing" and briefing.data(CountRole) == 0
    assert tree.index(0, 1, collections).data() == "0"
    assert not tree.flags(briefing) & Qt.ItemFlag.ItemIsEditable  # Briefing cannot be renamed
    assert tree.rowCount(tags) == 0


def test_table_payload_carries_keys_html_table_and_tab_separated_text(table):
    mime = drag_rows(table, "18", "3")
    assert set(table.mimeTypes()) == {MIME_TYPE, TEXT_HTML, TEXT_PLAIN}
    payload = payload_of(mime)
    assert payload.kind == drops.RECOMMENDATIONS
    assert [k.number for k in payload.keys] == ["3", "18"]  # table order
    row3 = table.row_data(row_of(table, "3"))
    lines = mime.text().splitlines()
    assert lines[0] == "No.\tRecommendation\tTopics"
    number, text, topics = lines[1].split("\t")
    assert number == "3" and text == " ".join(row3.text.split())
    assert topics == ", ".join(chip.label for chip in row3.topics)
    html = mime.html()
    assert html.startswith("<table") and "<th>Recommendation</th>" in html and "<td>18</td>" in html
    assert row3.topics[0].label.split()[0] in html


def test_drop_recommendations_on_collection_then_undo_redo(ops, table, tree):
    briefing = collection_index(tree, "Briefing")
    mime = drag_rows(table, "3", "18", "20")
    assert tree.canDropMimeData(mime, COPY, -1, -1, briefing)
    assert tree.dropMimeData(mime, COPY, -1, -1, briefing)
    assert collection_index(tree, "Briefing").data(CountRole) == 3
    assert ops.stack.undoText() == "Add 3 recommendations to Briefing"
    assert table.index(row_of(table, "18"), column_index("annotations")).data() == "▤1"
    ops.stack.undo()
    assert collection_index(tree, "Briefing").data(CountRole) == 0
    assert table.index(row_of(table, "18"), column_index("annotations")).data() == ""
    ops.stack.redo()
    assert collection_index(tree, "Briefing").data(CountRole) == 3


def test_drop_recommendations_on_tag_and_refuse_foreign_payloads(ops, table, tree):
    tag_id = ops.create_tag("Marking").ids[0]
    tag = tree.index_of(TAG, tag_id)
    assert tree.dropMimeData(drag_rows(table, "18"), COPY, -1, -1, tag)
    assert tree.index_of(TAG, tag_id).data(CountRole) == 1
    assert ops.stack.undoText() == "Tag recommendation 18 Marking"
    ops.stack.undo()
    assert tree.index_of(TAG, tag_id).data(CountRole) == 0
    # text from another program, or recommendations dropped on the "Collections" heading
    from PySide6.QtCore import QMimeData

    other = QMimeData()
    other.setText("hello")
    assert not tree.canDropMimeData(other, COPY, -1, -1, tag)
    assert not tree.canDropMimeData(drag_rows(table, "3"), COPY, -1, -1, tree.index(0, 0))


def test_nest_collection_and_tag_by_drag_and_refuse_cycles(ops, tree):
    outer = ops.create_collection("Firearms").ids[0]
    inner = ops.create_collection("Marking").ids[0]
    mime = tree.mimeData([tree.index_of(COLLECTION, inner)])
    assert payload_of(mime) == drops.DropPayload(drops.COLLECTION, collection_id=inner)
    assert tree.dropMimeData(mime, MOVE, -1, -1, tree.index_of(COLLECTION, outer))
    nested = tree.index_of(COLLECTION, inner)
    assert nested.parent().data(IdRole) == outer
    assert ops.stack.undoText() == "Move Marking"
    # the parent cannot go into its child
    assert not tree.canDropMimeData(tree.mimeData([tree.index_of(COLLECTION, outer)]), MOVE, -1, -1, nested)
    ops.stack.undo()
    assert tree.index_of(COLLECTION, inner).parent().data(KindRole) == COLLECTIONS_ROOT
    # back to the top level by dropping on the "Collections" heading
    ops.stack.redo()
    assert tree.dropMimeData(tree.mimeData([tree.index_of(COLLECTION, inner)]), MOVE, 0, 0, tree.index(0, 0))
    assert tree.index_of(COLLECTION, inner).row() == 0
    parent_tag, child_tag = ops.create_tag("Law").ids[0], ops.create_tag("Brokering").ids[0]
    assert tree.dropMimeData(tree.mimeData([tree.index_of(TAG, child_tag)]), MOVE, -1, -1, tree.index_of(TAG, parent_tag))
    assert tree.index_of(TAG, child_tag).parent().data(IdRole) == parent_tag


def test_rename_inline_create_and_delete_are_undoable(ops, tree):
    new = ops.create_collection("Drafts").ids[0]
    assert ops.stack.undoText() == "New collection Drafts"
    assert tree.setData(tree.index_of(COLLECTION, new), "Final")
    assert tree.index_of(COLLECTION, new).data() == "Final"
    assert ops.stack.undoText() == "Rename Drafts"
    ops.delete_collection(new)
    assert not tree.index_of(COLLECTION, new).isValid()
    assert ops.stack.undoText() == "Delete collection Final"
    ops.stack.undo()
    assert tree.index_of(COLLECTION, new).data() == "Final"
    ops.stack.undo()
    assert tree.index_of(COLLECTION, new).data() == "Drafts"
    refused = []
    ops.refused.connect(refused.append)
    assert not tree.setData(tree.index_of(COLLECTION, new), "Briefing")
    assert refused and "already" in refused[0]


def test_undoing_a_delete_whose_name_was_taken_meanwhile_says_why(ops):
    firearms = ops.create_tag("Firearms").ids[0]
    ops.delete_tag(firearms)
    ops.gateway.run(a.create_tag, "firearms")  # another window, program or colleague
    refused = []
    ops.refused.connect(refused.append)
    ops.stack.undo()
    assert refused == [
        "The tag “Firearms” cannot be brought back: there is already a tag named “firearms” here. Rename that one first."
    ]
    assert [tag.name for tag in ops.gateway.tag_tree()] == ["firearms"]
    ops.stack.redo()  # the delete still stands: nothing to redo, nothing refused
    assert len(refused) == 1 and [tag.name for tag in ops.gateway.tag_tree()] == ["firearms"]
    ops.gateway.run(a.rename_tag, next(t.id for t in ops.gateway.tag_tree()), "Firearms (theirs)")
    ops.stack.undo()  # tried again, now that the way is clear
    assert sorted(tag.name for tag in ops.gateway.tag_tree()) == ["Firearms", "Firearms (theirs)"]
    ops.stack.redo()
    assert [tag.name for tag in ops.gateway.tag_tree()] == ["Firearms (theirs)"]


def test_reorder_within_collection_by_drag(ops, table):
    briefing = ops.gateway.briefing_id()
    ops.add_to_collection(briefing, keys_of(table, "3", "18", "20", "25"))
    items = CollectionItemsModel(ops)
    ops.changed.connect(lambda _c: items.refresh())
    items.set_collection(briefing)
    assert [k.number for k in items.keys()] == ["3", "18", "20", "25"]
    mime = items.mimeData([items.index(3)])  # 25
    assert payload_of(mime).kind == drops.COLLECTION_ITEMS and payload_of(mime).collection_id == briefing
    assert items.canDropMimeData(mime, MOVE, 1, 0, QModelIndex())
    assert items.dropMimeData(mime, MOVE, 1, 0, QModelIndex())  # before 18
    assert [k.number for k in items.keys()] == ["3", "25", "18", "20"]
    assert ops.stack.undoText() == "Reorder Briefing"
    ops.stack.undo()
    assert [k.number for k in items.keys()] == ["3", "18", "20", "25"]
    # recommendations from the table dropped between rows are added there
    assert items.dropMimeData(drag_rows(table, "1"), COPY, 0, 0, QModelIndex())
    assert [k.number for k in items.keys()][:2] == ["1", "3"]
    assert items.index(0).data(KeyRole).number == "1"


def test_paragraph_and_remark_dropped_on_a_row_make_curated_links(ops, table, library):
    gateway = LibraryGateway(library)
    row = table.row_data(row_of(table, "18"))
    detail = gateway.recommendation_detail(row.id)
    linked = {(item.paragraph_number, item.remark_position) for item in detail.links}
    report = gateway.report_view(row.document_id)
    block = next(
        b
        for b in report.blocks
        if b.kind == "paragraph" and b.remarks and all((int(b.label), p) not in linked for p, _, _ in b.remarks)
    )
    position = block.remarks[0][0]
    remark = payload_mime(
        drops.DropPayload(drops.REMARK, document_key=row.document_key, paragraph=int(block.label), remark_position=position)
    )
    target = table.index(row_of(table, "18"), 2)
    assert table.canDropMimeData(remark, COPY, -1, -1, target)
    assert table.dropMimeData(remark, COPY, -1, -1, target)
    assert ops.stack.undoText() == f"Link ¶ {block.label} remark {position + 1} to recommendation 18"
    after = gateway.recommendation_detail(row.id)
    assert any(item.source == "curated" and item.paragraph_number == int(block.label) for item in after.links)
    assert table.index(row_of(table, "18"), column_index("annotations")).data() == "◆1"
    ops.stack.undo()
    assert not any(item.source == "curated" for item in gateway.recommendation_detail(row.id).links)
    # a whole paragraph; and one from another report is refused
    paragraph = payload_mime(drops.DropPayload(drops.PARAGRAPH, document_key=row.document_key, paragraph=int(block.label)))
    assert table.dropMimeData(paragraph, COPY, -1, -1, table.index(row_of(table, "20"), 0))
    with library.begin() as s:
        links = a.recommendation_annotations(s, (row.document_key, "20")).curated_links
    assert links == (a.LinkRef(int(block.label), None, ""),)
    foreign = payload_mime(drops.DropPayload(drops.PARAGRAPH, document_key="other/2020", paragraph=1))
    assert not table.canDropMimeData(foreign, COPY, -1, -1, target)


def test_section_tree_recommendation_nodes_drag_like_rows(library, ops, tree):
    gateway = LibraryGateway(library)
    sections = DraggableSectionTreeModel(gateway.section_tree(), gateway.recommendation_rows)
    node = next(n for n in gateway.section_tree() if n.kind == "recommendation")
    index = sections.index_of(node.key)
    assert sections.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    mime = sections.mimeData([index])
    assert payload_of(mime).kind == drops.RECOMMENDATIONS and mime.html().startswith("<table")
    assert tree.dropMimeData(mime, COPY, -1, -1, collection_index(tree, "Briefing"))
    assert collection_index(tree, "Briefing").data(CountRole) == 1


def test_marks_and_links_undo_redo_with_named_steps(ops, table):
    (k18,) = keys_of(table, "18")
    column = column_index("annotations")
    ops.set_position([k18], "oppose")
    assert ops.stack.undoText() == "Set position Oppose on recommendation 18"
    ops.set_priority([k18], True)
    assert ops.stack.undoText() == "Flag recommendation 18 as priority"
    ops.add_highlight(k18, 0, 6, "yellow")
    assert ops.stack.undoText() == "Highlight in recommendation 18"
    assert table.index(row_of(table, "18"), column).data() == "★ ✗"
    ops.reject(k18, 9, 0)
    assert ops.stack.undoText() == "Reject link from ¶ 9 to recommendation 18"
    for _ in range(4):
        ops.stack.undo()
    assert table.index(row_of(table, "18"), column).data() == ""
    for _ in range(4):
        ops.stack.redo()
    assert table.index(row_of(table, "18"), column).data() == "★ ✗"


def test_note_saves_merge_into_one_step_per_burst(ops, table):
    (k18,) = keys_of(table, "18")
    for text in ("C", "Ch", "Check"):
        ops.save_note(k18, text)
    assert ops.stack.count() == 1 and ops.stack.undoText() == "Edit note on recommendation 18"
    ops.end_note_burst()
    ops.save_note(k18, "Check with capital")
    assert ops.stack.count() == 2
    ops.stack.undo()
    assert ops.gateway.annotations(k18).note == "Check"
    ops.stack.undo()
    assert ops.gateway.annotations(k18).note == ""
    ops.stack.redo()
    assert ops.gateway.annotations(k18).note == "Check"
