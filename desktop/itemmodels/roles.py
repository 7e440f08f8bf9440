"""Custom item-data roles, named in one place for every model and delegate."""

from __future__ import annotations

from PySide6.QtCore import Qt

USER = int(Qt.ItemDataRole.UserRole)

IdRole = USER + 1  # int: the row id of what the index stands for
KindRole = USER + 2  # str: node kind in the section tree (doc/chapter/section/recommendation/paragraph)
TopicsRole = USER + 3  # tuple[TopicChip, ...]: chips the topic delegate paints
RowRole = USER + 4  # the frozen row behind a table line (RecommendationRow)
CountRole = USER + 5  # int: a node's count in the section tree
KeyRole = USER + 6  # RecommendationKey: the stable (document key, number) of a recommendation row
ShareRole = USER + 7  # float 0..1: a number's share of its chart's largest, for heat cells and bars (overview)
ChangedRole = USER + 8  # str: who last changed a collection or tag and when ("Ana, 2 Dec"); "" when not shown
