"""The Linux launcher: a freedesktop ``.desktop`` entry and the app icon, for this user.

``xref-explorer --install-desktop-entry`` writes them under ``$XDG_DATA_HOME``
(default ``~/.local/share``): ``applications/xref-explorer.desktop`` and
``icons/hicolor/scalable/apps/xref-explorer.svg``. The entry starts the
executable that ran the command: the bundle's, or the installed
``xref-explorer`` script. Running it again rewrites both files.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from models import __version__
from models.paths import APP_ICON

ENTRY_NAME = "xref-explorer"


class DesktopEntryError(Exception):
    """The entry cannot be installed here; the message says why."""


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (as the spec says)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def launch_command(argv0: str | None = None) -> list[str]:
    """The command line that starts this installation's app."""
    if getattr(sys, "frozen", False):  # the desktop bundle
        return [str(Path(sys.executable).absolute())]
    script = Path(argv0 if argv0 is not None else sys.argv[0])
    if script.name.startswith(ENTRY_NAME) and script.is_file():
        return [str(script.absolute())]
    found = shutil.which(ENTRY_NAME)
    if found:
        return [str(Path(found).absolute())]
    # A virtual environment's python is a link to the base one: keep the link, not its target.
    return [str(Path(sys.executable).absolute()), "-m", "desktop"]


def _quote(argument: str) -> str:
    """An Exec argument, quoted as the Desktop Entry Specification requires."""
    if not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`"):
        return argument.replace("%", "%%")
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return '"' + escaped.replace("%", "%%") + '"'


def entry_text(command: list[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.5",
            "Name=Xref Explorer",
            "GenericName=Report explorer",
            "Comment=Recommendations of UN working-group reports and the remarks behind them",
            f"Exec={' '.join(_quote(part) for part in command)}",
            f"Icon={ENTRY_NAME}",
            "Terminal=false",
            "Categories=Office;Viewer;",
            "Keywords=UN;report;recommendations;briefing;",
            f"X-Xref-Explorer-Version={__version__}",
            "",
        ]
    )


def install_desktop_entry(command: list[str] | None = None, home: Path | None = None) -> list[Path]:
    """Write the entry and the icon; return their paths. Linux and other freedesktop systems only."""
    if sys.platform.startswith(("win", "darwin")):
        raise DesktopEntryError(
            "--install-desktop-entry is for Linux desktops; on Windows and macOS pin or drag the bundle's executable instead."
        )
    if not APP_ICON.is_file():
        raise DesktopEntryError(f"The app icon was not found (looked for {APP_ICON}); nothing was installed.")
    home = home or data_home()
    entry = home / "applications" / f"{ENTRY_NAME}.desktop"
    icon = home / "icons" / "hicolor" / "scalable" / "apps" / f"{ENTRY_NAME}.svg"
    for folder in (entry.parent, icon.parent):
        folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(APP_ICON, icon)
    entry.write_text(entry_text(command or launch_command()), encoding="utf-8")
    entry.chmod(0o755)  # some desktops only trust executable entries
    return [entry, icon]
