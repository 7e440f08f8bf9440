"""Tokens, stems and phrases for lexical matching (linking and recurrence).

Text becomes a sequence of `Token`s: the stem (Snowball English), the surface
form, and whether it is a stop word. Hyphenated compounds yield their parts
("record-keeping" -> record, keep), so spellings with and without the hyphen
match. A `Thesaurus` (resources/thesaurus.toml, user-editable) adds a concept
token wherever one of its phrasings occurs, so that "cryptocurrencies" and
"digital currencies" share something to match on.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import snowballstemmer

from models.paths import THESAURUS as DEFAULT_THESAURUS

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "although",
        "am",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "etc",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "inter",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "namely",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "others",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "alia",
        "among",
        "others",
        "regard",
        "regards",
        "well",
        "like",
        "respect",
        "various",
        "several",
        "one",
        "two",
        "three",
        "first",
        "second",
    ]
)

_WORD = re.compile(r"[0-9]+(?:\.[0-9]+)+|[^\W_]+(?:[’'][^\W_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Token:
    stem: str
    surface: str
    start: int
    end: int
    stop: bool


# The project's one stemmer: Snowball English for matching (engines), and the Porter stemmer only
# where a stem must equal what SQLite FTS5's porter tokenizer stored in the index.
_ENGLISH = snowballstemmer.stemmer("english")
_PORTER = snowballstemmer.stemmer("porter")


def stem_word(word: str) -> str:
    """The Snowball English stem of a lower-case word, with no other normalisation."""
    return _ENGLISH.stemWord(word)


def index_stem(word: str) -> str:
    """The stem FTS5's porter tokenizer stores for a lower-case word (to look terms up in an index)."""
    return _PORTER.stemWord(word)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's stem for matching: lower case, curly apostrophes and possessive 's folded."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return stem_word(word)


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _WORD.finditer(text):
        surface = match.group(0)
        lower = surface.lower()
        tokens.append(Token(stem(lower), surface, match.start(), match.end(), lower in STOP_WORDS))
    return tokens


def content_stems(text: str) -> list[str]:
    return [token.stem for token in tokenize(text) if not token.stop]


@dataclass(frozen=True)
class Concept:
    name: str
    phrasings: tuple[tuple[str, ...], ...]  # stemmed content-token sequences


@dataclass(frozen=True)
class Thesaurus:
    concepts: tuple[Concept, ...]

    @cached_property
    def _by_first_stem(self) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for concept in self.concepts:
            for phrasing in concept.phrasings:
                index.setdefault(phrasing[0], []).append((concept.name, phrasing))
        return index

    def concepts_in(self, stems: list[str]) -> list[tuple[str, int, int]]:
        """(concept name, first index, last index) for each phrasing found in the stem sequence."""
        found = []
        index = self._by_first_stem
        for start, first in enumerate(stems):
            for name, phrasing in index.get(first, ()):
                end = start + len(phrasing)
                if tuple(stems[start:end]) == phrasing:
                    found.append((name, start, end - 1))
        return found


def load_thesaurus(path: Path | None = None) -> Thesaurus:
    """Read a thesaurus file: ``[[concept]]`` tables with ``name`` and ``terms``."""
    with (path or DEFAULT_THESAURUS).open("rb") as handle:
        data = tomllib.load(handle)
    concepts = []
    for entry in data.get("concept", []):
        phrasings = {tuple(content_stems(term)) for term in entry.get("terms", [])}
        phrasings.discard(())
        concepts.append(Concept(entry["name"], tuple(sorted(phrasings))))
    return Thesaurus(tuple(concepts))


@lru_cache(maxsize=1)
def default_thesaurus() -> Thesaurus:
    """The shipped thesaurus, read once per process."""
    return load_thesaurus()
