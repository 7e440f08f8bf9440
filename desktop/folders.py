"""Where file dialogs start: the folder last used for that kind of file, else the user's documents folder.

Remembered between sessions (QSettings ``folders/<kind>``); a remembered folder that no longer
exists falls back to the documents folder, then the home folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths


def documents_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def last_folder(kind: str) -> Path:
    """The folder to start a dialog for ``kind`` ("export", "import", "pdf") in."""
    value = QSettings().value(f"folders/{kind}")
    if isinstance(value, str) and value and Path(value).is_dir():
        return Path(value)
    return documents_folder()


def remember_folder(kind: str, path: Path | str) -> None:
    """Remember the folder of ``path`` (a file, or a folder) for the next dialog of ``kind``."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    settings = QSettings()
    settings.setValue(f"folders/{kind}", str(folder))
    settings.sync()
