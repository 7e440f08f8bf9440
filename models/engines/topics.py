"""Tag a piece of report text with the topics it is substantively about.

The topics and their vocabulary live in `resources/topics.toml`, which users can
read and extend; this module only knows how to match and score. Matching works
on normalised tokens: lower-cased, British spellings folded to American ones
("licence", "harmonise" -> "license", "harmonize"), then stemmed with the
Snowball English stemmer, so "trace/tracing/traced" and "broker/brokering"
meet. Hyphens and slashes split words, so "record-keeping" == "record keeping".

Scoring is deliberately simple and the same for every topic: each distinct
matched entry adds its weight once (a generic term 1, a strong term or a phrase
2 by default); a topic is tagged when its score reaches the threshold (2). So a
phrase or a strong term is enough on its own, a generic term needs support from
another match, and repeating a word does not add up. Text covered by an
exclusion of a topic does not count for that topic, and a term inside a matched
phrase does not count again.

Pure Python: no Qt, no database. Loading compiles the lexicon once; `tag_text`
is then a few dictionary look-ups per token (stems are cached), deterministic.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from models.engines.lexical import stem_word
from models.paths import TOPIC_LEXICON as DEFAULT_LEXICON

# Words skipped inside a phrase when the phrase does not name them itself, so that
# "marking firearms" also matches "marking of firearms" and "markings on illicit firearms".
FILLER_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "to",
        "for",
        "and",
        "or",
        "with",
        "by",
        "at",
        "from",
        "as",
        "into",
        "its",
        "their",
        "his",
        "her",
        "our",
        "this",
        "these",
        "those",
        "that",
        "such",
        "all",
        "any",
        "other",
        "illicit",
        "illegal",
    ]
)
MAX_SKIP = 3  # filler words skipped between two words of a phrase, at most

# Phrases never run across these: sentence and clause punctuation, brackets, quotes.
# A full stop or comma between digits ("16.4", "34,515") is part of a number instead.
_WORD = r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’][^\W_]+)*"
_BOUNDARY = r"[;:!?()\[\]{}\"“”«».,]"

_UK_WORDS = {
    "licence": "license",
    "licences": "licenses",
    "offence": "offense",
    "offences": "offenses",
    "defence": "defense",
    "programme": "program",
    "programmes": "program",
    "centre": "center",
    "centres": "centers",
}
_UK_ISE = re.compile(r"^(\w{2,}[^aeiou])is(e|ed|es|ing|ation|ations|er|ers)$")
_UK_YSE = re.compile(r"^(\w+)ys(e|ed|es|ing)$")

DEFAULT_TERM_WEIGHT = 1.0
DEFAULT_STRONG_WEIGHT = 2.0
DEFAULT_PHRASE_WEIGHT = 2.0
DEFAULT_THRESHOLD = 2.0


@dataclass(frozen=True)
class TopicTag:
    """One topic found in a text: its score and the surface words that earned it."""

    key: str
    score: float
    matched: tuple[str, ...]  # surface forms, in order of first appearance


@dataclass(frozen=True)
class Entry:
    """A term or phrase of a topic, as written in the lexicon and as matched."""

    text: str  # as written by the user, for display
    tokens: tuple[str, ...]  # normalised tokens; one token for a term
    weight: float


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    description: str
    threshold: float
    entries: tuple[Entry, ...]  # terms, strong terms and phrases
    exclusions: tuple[Entry, ...]


@dataclass(frozen=True)
class Lexicon:
    """A compiled topic lexicon. Build it with `load_lexicon` or `compile_lexicon`."""

    topics: tuple[Topic, ...]
    word_map: Mapping[str, str]
    # token -> ((topic index, entry), ...) for every entry starting with that token
    index: Mapping[str, tuple[tuple[int, Entry], ...]]
    exclusion_index: Mapping[str, tuple[tuple[int, Entry], ...]]
    # surface word -> token, filled while tagging (the vocabulary of a corpus is small)
    token_cache: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.topics)

    def topic(self, key: str) -> Topic:
        for t in self.topics:
            if t.key == key:
                return t
        raise KeyError(key)


class LexiconError(ValueError):
    """The topic file is malformed; the message names the topic and field."""


# --- normalisation ---------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    word = _UK_WORDS.get(word, word)
    m = _UK_ISE.match(word)
    if m:
        word = f"{m.group(1)}iz{m.group(2)}"
    else:
        m = _UK_YSE.match(word)
        if m:
            word = f"{m.group(1)}yz{m.group(2)}"
    return stem_word(word)


def _normalise(word: str, word_map: Mapping[str, str]) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word_map.get(word, word)
    return _stem(word)


_PIECE = re.compile(rf"{_WORD}|(?P<cut>{_BOUNDARY})")


def _tokenise(text: str, word_map: Mapping[str, str], cache: dict[str, str] | None = None) -> list[list[tuple[str, int, int]]]:
    """Split text into segments (no phrase crosses a segment) of (token, start, end)."""
    if cache is None:
        cache = {}
    segments: list[list[tuple[str, int, int]]] = []
    seg: list[tuple[str, int, int]] = []
    for m in _PIECE.finditer(text):
        if m.lastgroup == "cut":
            if seg:
                segments.append(seg)
                seg = []
            continue
        word = m.group()
        tok = cache.get(word)
        if tok is None:
            tok = cache[word] = _normalise(word, word_map)
        seg.append((tok, m.start(), m.end()))
    if seg:
        segments.append(seg)
    return segments


def _tokens_of(phrase: str, word_map: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(tok for seg in _tokenise(phrase, word_map) for tok, _, _ in seg)


_FILLER_TOKENS = frozenset(_stem(w) for w in FILLER_WORDS)


# --- loading -----------------------------------------------------------------------


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read and compile a topic file (default: resources/topics.toml of this package)."""
    path = Path(path) if path is not None else DEFAULT_LEXICON
    with path.open("rb") as f:
        data = tomllib.load(f)
    return compile_lexicon(data, source=str(path))


def compile_lexicon(data: Mapping, source: str = "<lexicon>") -> Lexicon:
    """Compile a parsed topic file (the dict `tomllib` returns)."""
    scoring = data.get("scoring", {})
    term_w = float(scoring.get("term_weight", DEFAULT_TERM_WEIGHT))
    strong_w = float(scoring.get("strong_weight", DEFAULT_STRONG_WEIGHT))
    phrase_w = float(scoring.get("phrase_weight", DEFAULT_PHRASE_WEIGHT))
    default_threshold = float(scoring.get("threshold", DEFAULT_THRESHOLD))
    word_map = {str(k).lower(): str(v).lower() for k, v in data.get("word_map", {}).items()}

    raw_topics = data.get("topics")
    if not isinstance(raw_topics, Mapping) or not raw_topics:
        raise LexiconError(f"{source}: no [topics.<key>] tables")

    topics: list[Topic] = []
    for key, raw in raw_topics.items():
        if not isinstance(raw, Mapping):
            raise LexiconError(f"{source}: topics.{key} must be a table")
        weights = {str(k).lower(): float(v) for k, v in raw.get("weights", {}).items()}

        def entries(field: str, weight: float, single: bool | None) -> list[Entry]:
            out = []
            values = raw.get(field, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise LexiconError(f"{source}: topics.{key}.{field} must be a list of strings")
            for value in values:
                tokens = _tokens_of(value, word_map)
                if not tokens:
                    raise LexiconError(f"{source}: topics.{key}.{field}: empty entry {value!r}")
                if single is True and len(tokens) != 1:
                    raise LexiconError(f"{source}: topics.{key}.{field}: {value!r} has several words; put it under phrases")
                out.append(Entry(value, tokens, weights.get(value.lower(), weight)))
            return out

        all_entries = (
            entries("terms", term_w, True) + entries("strong_terms", strong_w, True) + entries("phrases", phrase_w, None)
        )
        unique: dict[tuple[str, ...], Entry] = {}
        for e in all_entries:  # the same stem listed twice counts once, at its highest weight
            if e.tokens not in unique or unique[e.tokens].weight < e.weight:
                unique[e.tokens] = e
        topics.append(
            Topic(
                key=str(key),
                label=str(raw.get("label", key)),
                description=str(raw.get("description", "")),
                threshold=float(raw.get("threshold", default_threshold)),
                entries=tuple(unique.values()),
                exclusions=tuple(entries("exclusions", 0.0, None)),
            )
        )
    return Lexicon(
        topics=tuple(topics),
        word_map=word_map,
        index=_build_index(topics, lambda t: t.entries),
        exclusion_index=_build_index(topics, lambda t: t.exclusions),
    )


def _build_index(topics, field) -> dict[str, tuple[tuple[int, Entry], ...]]:
    index: dict[str, list[tuple[int, Entry]]] = {}
    for i, topic in enumerate(topics):
        for entry in field(topic):
            index.setdefault(entry.tokens[0], []).append((i, entry))
    # longest first, so that at one position the longest phrase of a topic wins
    return {tok: tuple(sorted(items, key=lambda ie: (ie[0], -len(ie[1].tokens)))) for tok, items in index.items()}


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The shipped lexicon, loaded once per process."""
    return load_lexicon()


# --- tagging -----------------------------------------------------------------------


def _match(seg: list[tuple[str, int, int]], i: int, tokens: tuple[str, ...]) -> int:
    """Index just past a match of `tokens` starting at seg[i], or -1."""
    if seg[i][0] != tokens[0]:
        return -1
    j = i + 1
    for want in tokens[1:]:
        skipped = 0
        while j < len(seg) and seg[j][0] != want and seg[j][0] in _FILLER_TOKENS and skipped < MAX_SKIP:
            j += 1
            skipped += 1
        if j >= len(seg) or seg[j][0] != want:
            return -1
        j += 1
    return j


def tag_text(text: str, lexicon: Lexicon | None = None) -> list[TopicTag]:
    """Topics `text` is about, highest score first (ties in lexicon order).

    `matched` gives the surface words and phrases that earned each tag, for
    provenance ("why is this tagged gender?"). Text that earns no topic gives [].
    """
    lexicon = lexicon or default_lexicon()
    n_topics = len(lexicon.topics)
    # per topic: entry tokens -> weight, and the surface forms in order of appearance
    found: list[dict[tuple[str, ...], float]] = [{} for _ in range(n_topics)]
    surfaces: list[list[str]] = [[] for _ in range(n_topics)]

    index, exclusion_index = lexicon.index, lexicon.exclusion_index
    for seg in _tokenise(text, lexicon.word_map, lexicon.token_cache):
        # positions an exclusion or a matched phrase has used, per topic
        blocked: dict[int, set[int]] = {}
        if exclusion_index:
            for i, (tok, _, _) in enumerate(seg):
                for t, entry in exclusion_index.get(tok, ()):
                    end = _match(seg, i, entry.tokens)
                    if end > 0:
                        blocked.setdefault(t, set()).update(range(i, end))
        for i, (tok, _, _) in enumerate(seg):
            candidates = index.get(tok)
            if not candidates:
                continue
            done: set[int] = set()  # topics that already matched at i (longest entry first)
            for t, entry in candidates:
                if t in done:
                    continue
                used = blocked.get(t)
                if used and i in used:
                    continue
                end = i + 1 if len(entry.tokens) == 1 else _match(seg, i, entry.tokens)
                if end < 0 or (used and end > i + 1 and used.intersection(range(i, end))):
                    continue
                done.add(t)
                if end > i + 1:
                    blocked.setdefault(t, set()).update(range(i, end))
                found[t].setdefault(entry.tokens, entry.weight)
                surface = text[seg[i][1] : seg[end - 1][2]]
                if surface not in surfaces[t]:
                    surfaces[t].append(surface)

    tags = []
    for t, topic in enumerate(lexicon.topics):
        score = sum(found[t].values())
        if found[t] and score >= topic.threshold:
            tags.append((t, TopicTag(topic.key, score, tuple(surfaces[t]))))
    tags.sort(key=lambda item: (-item[1].score, item[0]))
    return [tag for _, tag in tags]


def tag_many(texts: Iterable[str], lexicon: Lexicon | None = None) -> list[list[TopicTag]]:
    """`tag_text` over many texts with one lexicon, in order."""
    lexicon = lexicon or default_lexicon()
    return [tag_text(text, lexicon) for text in texts]
