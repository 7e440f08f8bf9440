"""What the explorer remembers between sessions (QSettings): geometry, splitters, columns, filters.

Uses the application's default QSettings, so tests isolate it with
`QSettings.setPath`/`setDefaultFormat`. Values that no longer fit (a topic or
speaker that left the library) are dropped on restore by the filter bar.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QSettings

from models.queries.filters import RecommendationFilter

VERSION = 1


def save_filter(settings: QSettings, f: RecommendationFilter, scope_label: str) -> None:
    settings.setValue(
        "filters/current",
        json.dumps(
            {
                "text": f.text,
                "topics": sorted(f.topics),
                "speaker": f.speaker,
                "state": f.state,
                "group": f.group,
                "document_id": f.document_id,
                "section_id": f.section_id,
                "scope_label": scope_label,
                "mention": f.mention,
            }
        ),
    )


def load_filter(settings: QSettings) -> tuple[RecommendationFilter, str]:
    raw = settings.value("filters/current")
    try:
        data = json.loads(raw) if isinstance(raw, str) else {}
        return RecommendationFilter(
            text=str(data.get("text") or ""),
            topics=frozenset(data.get("topics") or ()),
            speaker=data.get("speaker"),
            state=data.get("state"),
            group=data.get("group"),
            document_id=data.get("document_id"),
            section_id=data.get("section_id"),
            mention=data.get("mention"),
        ), str(data.get("scope_label") or "")
    except (ValueError, TypeError, AttributeError):
        return RecommendationFilter(), ""


def save_state(settings: QSettings, name: str, state: QByteArray) -> None:
    settings.setValue(f"state/{name}", state)


def load_state(settings: QSettings, name: str) -> QByteArray | None:
    value = settings.value(f"state/{name}")
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def settings() -> QSettings:
    store = QSettings()
    if store.value("version") is None:
        store.setValue("version", VERSION)
    return store
