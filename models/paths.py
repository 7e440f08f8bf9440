"""Where the shipped files are: the one module that knows.

The report texts, topic lexicon, thesaurus, mentions catalogue and icons live in
``resources/`` and the embedded library in ``data.sqlite``, both at the root of a
checkout. A wheel (and the desktop bundle) carries them as the package
`RESOURCE_PACKAGE`, with ``data.sqlite`` inside it (``setup.py`` copies it there at
build time), found through `importlib.resources`.

A checkout (an editable install, or ``PYTHONPATH`` on it) is recognised by its
``pyproject.toml`` next to ``resources/``; its files win, so that an edited lexicon
is used at once. Nothing here checks that a file exists: callers that need one
say which path they looked for (see `models.library.open_library`).
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

RESOURCE_PACKAGE = "xref_explorer_resources"
CORPUS_FILE = "data.sqlite"

# The folder holding `models/` and `desktop/`: a checkout, or site-packages.
CODE_ROOT = Path(__file__).resolve().parent.parent


def _is_checkout(root: Path) -> bool:
    return (root / "pyproject.toml").is_file() and (root / "resources").is_dir()


def _installed_resources() -> Path:
    """The installed resource package's folder (or where it would be, for messages)."""
    try:
        folder = importlib.resources.files(RESOURCE_PACKAGE)
    except ModuleNotFoundError:
        return CODE_ROOT / RESOURCE_PACKAGE
    # Wheels install unzipped and the bundle unpacks its data: a real folder. A zipped
    # install is not supported; its (non-existent) folder path makes callers say so.
    return folder if isinstance(folder, Path) else CODE_ROOT / RESOURCE_PACKAGE


if _is_checkout(CODE_ROOT):
    RESOURCES_DIR = CODE_ROOT / "resources"
    EMBEDDED_CORPUS = CODE_ROOT / CORPUS_FILE
else:
    RESOURCES_DIR = _installed_resources()
    EMBEDDED_CORPUS = RESOURCES_DIR / CORPUS_FILE

REPORTS_DIR = RESOURCES_DIR / "reports"
SHIPPED_REPORT = REPORTS_DIR / "wg-firearms-2021.txt"
ICONS_DIR = RESOURCES_DIR / "icons"
APP_ICON = ICONS_DIR / "app.svg"
TOPIC_LEXICON = RESOURCES_DIR / "topics.toml"
THESAURUS = RESOURCES_DIR / "thesaurus.toml"
MENTIONS_CATALOGUE = RESOURCES_DIR / "mentions.toml"
