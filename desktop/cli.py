"""Console entry point ``xref-explorer``: the headless commands plus the desktop app."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from models.cli.commands import main as cli_main

NO_DISPLAY = (
    "xref-explorer: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
    "Run it in a desktop session, use a command (xref-explorer --help), or set QT_QPA_PLATFORM=offscreen "
    "for scripts and tests."
)


def has_display(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt can show a window: always on Windows and macOS; on Linux and the like, when a
    display server is named or the platform plugin was chosen explicitly (offscreen, vnc...)."""
    if platform.startswith(("win", "darwin")):
        return True
    return any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def launch_gui(db_path: Path | None) -> int:
    if not has_display():  # Qt would abort with a message about platform plugins
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from desktop.app import run  # Qt is imported only when the window is wanted

    return run(db_path)


def main() -> int:
    return cli_main(sys.argv[1:], launch_gui=launch_gui)


if __name__ == "__main__":
    sys.exit(main())
