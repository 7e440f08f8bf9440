"""The main window: wires views to the library. Holds no domain logic."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QMainWindow, QTreeView

from models.library import Library
from models.queries import section_tree


class MainWindow(QMainWindow):
    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.setWindowTitle(f"Xref Explorer — {library.path.name}")
        self.tree = QTreeView(objectName="sectionTree")
        self.tree.setAccessibleName("Sections of the reports")
        self.tree.setHeaderHidden(True)
        model = QStandardItemModel(self.tree)
        with library.begin() as session:
            nodes = section_tree(session)
        items: dict[tuple, QStandardItem] = {}
        for node in nodes:
            item = QStandardItem(node.title)
            item.setEditable(False)
            parent = items.get(node.parent) if node.parent else model.invisibleRootItem()
            parent.appendRow(item)
            items[node.key] = item
        self.tree.setModel(model)
        self.setCentralWidget(self.tree)
        self.resize(1200, 800)
