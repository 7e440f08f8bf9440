"""Find what a piece of report text mentions: States, organisations, instruments
(with their articles), SDG targets and indicators, document symbols, resolutions.

Names of organisations, instruments and the like live in `resources/mentions.toml`
(editable); State names are passed in by the caller, from the attendance lists
of the report being read, because no offline list of UN Member States ships
with the application. Every alias of a thing is reported under one key
("International Criminal Police Organization" -> "INTERPOL").

Where mentions overlap, the longest wins ("European Union Agency for Law
Enforcement Cooperation" is Europol, not the European Union); several mentions
may share one span when the text names several things at once ("articles 10 and
13 of the Firearms Protocol", "indicators 1 and 2 of target 16.4").

Pure Python: no Qt, no database. Patterns are compiled once per set of known
names and cached, so calling `find_mentions` for every paragraph is cheap.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from models.paths import MENTIONS_CATALOGUE as DEFAULT_CATALOGUE

STATE = "state"
ORGANISATION = "organisation"
INSTRUMENT = "instrument"
SDG = "sdg"
SYMBOL = "symbol"
RESOLUTION = "resolution"


@dataclass(frozen=True)
class Mention:
    """One thing named in a text, at text[start:end]."""

    kind: str  # "state", "organisation", "instrument", "sdg", "symbol", "resolution", ...
    key: str  # one key per thing: "INTERPOL", "Firearms Protocol art. 7", "SDG 16.4.1"
    label: str  # full name for display
    start: int
    end: int


@dataclass(frozen=True)
class Named:
    kind: str
    key: str
    label: str


@dataclass(frozen=True)
class Catalogue:
    """Aliases of organisations, instruments etc., as read from mentions.toml."""

    aliases: tuple[tuple[str, Named], ...]


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read a mentions file (default: resources/mentions.toml of this package)."""
    path = Path(path) if path is not None else DEFAULT_CATALOGUE
    with path.open("rb") as f:
        data = tomllib.load(f)
    aliases: list[tuple[str, Named]] = []
    for kind, entries in data.items():
        if not isinstance(entries, list):
            raise ValueError(f"{path}: [[{kind}]] must be an array of tables")
        for entry in entries:
            try:
                named = Named(kind, str(entry["key"]), str(entry.get("label", entry["key"])))
                names = [str(a) for a in entry.get("aliases", [])] or [named.key]
            except (KeyError, TypeError, AttributeError) as exc:
                raise ValueError(f"{path}: [[{kind}]] entry {entry!r} needs a key") from exc
            aliases.extend((alias, named) for alias in names)
    return Catalogue(tuple(aliases))


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    return load_catalogue()


# --- patterns written in code: they carry numbers, not names -----------------------

_SEP = r"(?:\s*[-‐‑–]\s*|\s+)"  # between the words of a name
_DASHES = re.compile(r"[\s\-‐‑–]+")

_ARTICLE_BEFORE = re.compile(
    r"(?<![\w])[Aa]rticles?\s+(?P<nums>\d+(?:\s*(?:,|and|to|[-–])\s*\d+)*)"
    r"(?:\s*,\s*paragraphs?\s+(?P<para>\d+(?:\s*(?:,|and)\s*\d+)*)\s*,)?"
    r"\s+of\s+(?:the\s+|its\s+|that\s+)?$"
)
_NUM_LIST = re.compile(r"\d+|to|[-–]")

_TARGET = r"\d{1,2}\.(?:\d{1,2}|[a-c])"
_SDG = re.compile(
    r"(?<![\w.])(?:(?:SDG|Sustainable\s+Development\s+Goals?)\s+)?(?:"
    rf"(?P<iw>[Ii]ndicators?)\s+(?P<small>\d(?:\s*(?:,|and)\s*\d)*)\s+(?:of|for|under)\s+"
    rf"(?:SDG\s+)?target\s+(?P<of_target>{_TARGET})"
    rf"|[Ii]ndicators?\s+(?P<full>{_TARGET}\.\d{{1,2}}(?:\s*(?:,|and)\s*{_TARGET}\.\d{{1,2}})*)"
    rf"|[Tt]argets?\s+(?P<targets>{_TARGET}(?:\s*(?:,|and)\s*{_TARGET})*)(?![\w]|\.\d)"
    r"|(?:Sustainable\s+Development\s+)?Goal\s+(?P<goal>\d{1,2})(?!\w|\.\d)"
    r")(?P<suffix>\s+of\s+the\s+(?:Sustainable\s+Development\s+Goals|2030\s+Agenda(?:\s+for\s+Sustainable\s+Development)?))?"
)

# UN document symbols: an upper-case series, then at least two "/"-separated parts,
# with a digit somewhere (CTOC/COP/WG.6/2021/2, A/RES/75/241, E/CN.15/2021/L.2).
_SYMBOL = re.compile(r"(?<![\w/])[A-Z]+(?:\.\d+)?(?:/[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*){2,}(?![\w/])")

_BODIES = (
    "General Assembly",
    "Security Council",
    "Economic and Social Council",
    "Human Rights Council",
    "Commission on Crime Prevention and Criminal Justice",
    "Commission on Narcotic Drugs",
)
_RES_NUMBER = r"(?:\d+/\d+|\d{3,4}\s*\(\d{4}\))"
_BODY = "|".join(re.escape(b).replace(r"\ ", r"\s+") for b in _BODIES)
_RESOLUTION = re.compile(
    rf"(?:(?P<body>{_BODY})\s+)?"
    rf"(?<![\w])[Rr]esolutions?\s+(?P<nums>{_RES_NUMBER}(?:\s*(?:,|and)\s*{_RES_NUMBER})*)"
)


def _norm(name: str) -> str:
    return _DASHES.sub(" ", name.replace("’", "'")).strip()


def _alias_pattern(alias: str) -> str:
    words = [w for w in _DASHES.split(alias.strip()) if w]
    return _SEP.join(re.escape(w).replace("'", "['’]") for w in words)


class MentionFinder:
    """Finds mentions with one compiled pattern for a fixed set of names.

    Build one per report (or let `find_mentions` cache it) and call `find` for
    each paragraph; do not build one per paragraph.
    """

    def __init__(self, known_names: Iterable[str] = (), catalogue: Catalogue | None = None):
        catalogue = catalogue or default_catalogue()
        by_name: dict[str, Named] = {}
        for name in known_names:
            name = name.strip()
            if not name:
                continue
            state = Named(STATE, name, name)
            by_name.setdefault(_norm(name), state)
            short = name.split(" (", 1)[0]  # "Bolivia (Plurinational State of)" -> "Bolivia"
            if short != name:
                by_name.setdefault(_norm(short), state)
        for alias, named in catalogue.aliases:  # the catalogue wins over a State name
            by_name[_norm(alias)] = named
        self._by_name = by_name
        patterns = sorted({_alias_pattern(n) for n in by_name}, key=lambda p: (-len(p), p))
        self._names = re.compile(rf"(?<!\w)(?=({'|'.join(patterns)})(?!\w))") if patterns else None

    def find(self, text: str) -> list[Mention]:
        """Mentions in `text`, in reading order (start, then end, kind, key)."""
        groups: list[tuple[int, int, list[Mention]]] = []
        if self._names is not None:
            for m in self._names.finditer(text):
                groups.append(self._named(text, m.start(1), m.end(1)))
        groups.extend(_sdgs(text))
        groups.extend(_symbols(text))
        groups.extend(_resolutions(text))

        # the longest span wins where spans overlap; ties go to the earlier one
        groups.sort(key=lambda g: (-(g[1] - g[0]), g[0]))
        taken: list[tuple[int, int]] = []
        mentions: list[Mention] = []
        for start, end, found in groups:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            mentions.extend(found)
        mentions.sort(key=lambda m: (m.start, m.end, m.kind, m.key))
        return mentions

    def _named(self, text: str, start: int, end: int) -> tuple[int, int, list[Mention]]:
        named = self._by_name[_norm(text[start:end])]
        if named.kind == INSTRUMENT:
            before = _ARTICLE_BEFORE.search(text, max(0, start - 160), start)
            if before:
                para = before.group("para")
                found = [
                    Mention(
                        INSTRUMENT,
                        f"{named.key} art. {n}",
                        f"{named.label}, article {n}" + (f", paragraph {para}" if para else ""),
                        before.start(),
                        end,
                    )
                    for n in _numbers(before.group("nums"))
                ]
                return before.start(), end, found
        return start, end, [Mention(named.kind, named.key, named.label, start, end)]


def _numbers(listing: str) -> list[int]:
    """ "10 and 13" -> [10, 13]; "5 to 8" -> [5, 6, 7, 8]."""
    out: list[int] = []
    pending_range = False
    for tok in _NUM_LIST.findall(listing):
        if tok.isdigit():
            n = int(tok)
            if pending_range and out and out[-1] < n <= out[-1] + 50:
                out.extend(range(out[-1] + 1, n + 1))
            elif n not in out:
                out.append(n)
            pending_range = False
        else:
            pending_range = True
    return out


def _sdgs(text: str):
    for m in _SDG.finditer(text):
        if m.group("of_target"):
            target = m.group("of_target")
            keys = [(f"{target}.{n}", "indicator") for n in re.findall(r"\d", m.group("small"))]
        elif m.group("full"):
            keys = [(k, "indicator") for k in re.findall(rf"{_TARGET}\.\d{{1,2}}", m.group("full"))]
        elif m.group("targets"):
            keys = [(k, "target") for k in re.findall(_TARGET, m.group("targets"))]
        else:
            keys = [(m.group("goal"), "Goal")]
        found = [Mention(SDG, f"SDG {k}", f"Sustainable Development Goals {what} {k}", m.start(), m.end()) for k, what in keys]
        yield m.start(), m.end(), found


def _symbols(text: str):
    for m in _SYMBOL.finditer(text):
        if any(c.isdigit() for c in m.group()):
            yield m.start(), m.end(), [Mention(SYMBOL, m.group(), m.group(), m.start(), m.end())]


def _resolutions(text: str):
    for m in _RESOLUTION.finditer(text):
        body = " ".join(m.group("body").split()) if m.group("body") else None
        found = []
        for number in re.findall(_RES_NUMBER, m.group("nums")):
            number = " ".join(number.replace("(", " (").split())
            if body is None and "(" in number:
                body = "Security Council"  # "resolution 2370 (2017)" is the Council's style
            key = f"{body} resolution {number}" if body else f"resolution {number}"
            found.append(Mention(RESOLUTION, key, key, m.start(), m.end()))
        yield m.start(), m.end(), found


@lru_cache(maxsize=16)
def _finder(names: frozenset[str], catalogue: Catalogue | None) -> MentionFinder:
    return MentionFinder(sorted(names), catalogue)


def find_mentions(text: str, known_names: Iterable[str] = (), catalogue: Catalogue | None = None) -> list[Mention]:
    """Mentions in `text`, in reading order.

    `known_names` are State names, typically every State on the report's
    attendance lists; a name that is also an alias in mentions.toml (the
    European Union) is reported under the catalogue's kind. The compiled
    patterns are cached per set of names.
    """
    return _finder(frozenset(known_names), catalogue).find(text)


def mention_kinds(mentions: Iterable[Mention]) -> Mapping[str, list[Mention]]:
    """Group mentions by kind, keeping reading order within each kind."""
    out: dict[str, list[Mention]] = {}
    for m in mentions:
        out.setdefault(m.kind, []).append(m)
    return out
