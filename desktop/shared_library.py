"""File > Open Shared Library… and File > Preferences… (the name recorded on annotations).

A shared library is named by a database URL (``postgresql+psycopg://host/dbname``); its password,
if any, comes from libpq (``~/.pgpass``, ``PGPASSWORD``, a service file), never from the app:
a URL holding a password is opened but not remembered. The display name set in Preferences
is recorded as the author of every annotation instead of the database role or login name.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from models.db.library import Library, LibraryError

DISPLAY_NAME = "sharing/displayName"
LAST_URL = "sharing/lastUrl"
URL_HINT = (
    "Database URL of the shared library, for example\n"
    "postgresql+psycopg://server.mission.example/delegation?sslmode=require\n"
    "(the password comes from your ~/.pgpass or PGPASSWORD, never from here)"
)


def display_name() -> str:
    return str(QSettings().value(DISPLAY_NAME, "") or "").strip()


def apply_display_name(library: Library) -> None:
    """Record annotations under the Preferences name, if one is set (else the role or login name)."""
    name = display_name()
    if name:
        library.author = name[:120]


def _has_password(url: str) -> bool:
    credentials = url.split("://", 1)[-1].split("@", 1)
    return len(credentials) == 2 and ":" in credentials[0]


def install(window) -> None:
    """Add the two File menu items to ``window``."""
    window._login_author = window.library.author
    open_shared = QAction("Open &Shared Library…", window)
    open_shared.setObjectName("action_open_shared")
    open_shared.setToolTip("Open a library on a PostgreSQL server, shared with your delegation")
    open_shared.triggered.connect(lambda: open_shared_library(window))
    preferences = QAction("Pre&ferences…", window)
    preferences.setObjectName("action_preferences")
    preferences.setToolTip("Your name as recorded on your annotations in a shared library")
    preferences.triggered.connect(lambda: edit_display_name(window))
    menu = window.file_menu
    first = menu.actions()[0] if menu.actions() else None
    menu.insertActions(first, [open_shared])
    menu.insertSeparator(first)
    quit_action = window.actions_["quit"]
    menu.insertActions(quit_action, [preferences])
    window.open_windows = []


def open_shared_library(window, url: str | None = None) -> QWidget | None:
    """Ask for a URL (unless given) and open that library in a new window; None when refused."""
    from desktop.app import create_main_window

    if url is None:
        url, ok = QInputDialog.getText(
            window, "Open Shared Library", URL_HINT, QLineEdit.EchoMode.Normal, str(QSettings().value(LAST_URL, "") or "")
        )
        if not ok or not url.strip():
            return None
    url = url.strip()
    try:
        other = create_main_window(url)
    except LibraryError as error:
        QMessageBox.warning(window, "Open Shared Library", str(error))
        return None
    if not _has_password(url):
        QSettings().setValue(LAST_URL, url)
    window.open_windows.append(other)
    return other


def edit_display_name(window, name: str | None = None) -> None:
    if name is None:
        name, ok = QInputDialog.getText(
            window, "Preferences", "Your name on annotations (empty: your login name):", QLineEdit.EchoMode.Normal, display_name()
        )
        if not ok:
            return
    QSettings().setValue(DISPLAY_NAME, name.strip())
    window.library.author = name.strip()[:120] or window._login_author
