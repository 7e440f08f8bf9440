"""Small HTML helpers for the rich-text panes: escaping, highlighted spans, link hrefs.

Links carry what they point at in the href (``x-remark:4``, ``x-speaker:Adam%20Mohammed``);
`parse_href` reads them back. Never parse the visible text.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import quote, unquote

from PySide6.QtCore import QUrl

from desktop.theme import colours


def href(kind: str, *parts: object) -> str:
    return f"x-{kind}:" + "/".join(quote(str(part), safe="") for part in parts)


def parse_href(url: QUrl | str) -> tuple[str, list[str]]:
    """("remark", ["4"]) from ``x-remark:4``; ("", []) for anything else."""
    text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded) if isinstance(url, QUrl) else url
    scheme, _, payload = text.partition(":")
    if not scheme.startswith("x-"):
        return "", []
    return scheme[2:], [unquote(part) for part in payload.split("/")] if payload else []


def link(kind: str, label: str, *parts: object, title: str = "") -> str:
    tip = f' title="{escape(title)}"' if title else ""
    return f'<a href="{href(kind, *parts)}"{tip}>{escape(label)}</a>'


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlighted(text: str, spans: Iterable[tuple[int, int]], colour: str | None = None) -> str:
    """``text`` escaped, with ``spans`` (character offsets) on a highlight background (the evidence tint)."""
    colour = colour or colours().evidence
    out, cursor = [], 0
    for start, end in merge_spans(spans):
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        out.append(escape(text[cursor:start]))
        out.append(f'<span style="background-color:{colour};">{escape(text[start:end])}</span>')
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)
