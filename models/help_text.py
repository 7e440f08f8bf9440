"""Texts the Help menu shows, read from the project's own documentation (no copy to keep in step).

`readme_section` returns one ``## `` section of README.md as Markdown; the app shows
"How links are made, and how to read a score" from it.
"""

from __future__ import annotations

from models.paths import CODE_ROOT

README = CODE_ROOT / "README.md"
LINKS_SECTION = "How links are made"


def readme_section(title: str, path=README) -> str:
    """The section of ``path`` whose ``## `` heading starts with ``title``, heading included ("" if none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    lines, found = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            if found:
                break
            found = line[3:].startswith(title)
        if found:
            lines.append(line)
    return "\n".join(lines).strip()
