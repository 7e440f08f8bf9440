"""Console entry point ``xref-explorer``: the headless commands plus the desktop app."""

from __future__ import annotations

import sys
from pathlib import Path

from models.cli.commands import main as cli_main


def launch_gui(db_path: Path | None) -> int:
    from desktop.app import run  # Qt is imported only when the window is wanted

    return run(db_path)


def main() -> int:
    return cli_main(sys.argv[1:], launch_gui=launch_gui)


if __name__ == "__main__":
    sys.exit(main())
