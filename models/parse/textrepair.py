"""Repair of damage done by PDF text extraction.

Pure functions, text in and text out. The rules are general (an English word
list plus the document's own vocabulary); nothing here knows the errors of a
particular report, so the same code serves every report of the series and every
extraction of one report (other line widths, page furniture, CRLF).

The usual order, as `models.parse.parser` applies it:

1. `clean_lines` -- line ends, form feeds, page furniture and blank lines go;
2. `split_footnotes` -- footnote blocks are cut out of the running text;
3. `Vocabulary.from_lines` -- the words and hyphenated compounds the document uses;
4. `join_lines` -- the lines of one block become one string (line-end hyphens decided);
5. `remove_footnote_marker` -- once per footnote, on the block that carries it;
6. `repair` -- detached hyphens, words split by stray spaces, broken symbols, spacing.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

_LETTERS = r"[^\W\d_]+"
_WORD_START = r"(?<![^\W\d_])"  # a run of letters is tried from its first letter only: linear on a long run
_TOKEN_RE = re.compile(rf"{_LETTERS}(?:-{_LETTERS})*")
# A document symbol such as "CTOC/COP/WG.6/2021/4" or "A/RES/75/1".
_SYMBOL = r"[A-Z][A-Za-z0-9.]*(?:/[A-Za-z0-9.()]+)+"
_SYMBOL_LINE_RE = re.compile(rf"{_SYMBOL}")
_JOB_NUMBER_RE = re.compile(r"[A-Z]\.\d{2}-\d{4,6}(?:\s*\([A-Z]\))?")
_PAGE_NUMBER_RE = re.compile(r"\d{1,3}/\d{1,3}|\d{1,3}")
_BARCODE_RE = re.compile(r"\*\d{5,9}\*")
_PRINT_DATE_RE = re.compile(r"\d{6}")  # "090810": printed and released, beside a job number
_FOOTNOTE_RULE_RE = re.compile(r"_{5,}")
_FOOTNOTE_ENTRY_RE = re.compile(r"(\d{1,3})\s+(\S.*)")

# A dictionary frequency at or below this is the word list's floor (mostly junk forms).
_JUNK_FREQUENCY = 50
# Second halves of split words are short, rare fragments ("ism", "al"); common words
# ("round", "going", "cent") are not, so "a round" or "per cent" stay apart.
_RARE_FRAGMENT = 1_000
_UNCOMMON_WORD = 20_000


@functools.cache
def _word_frequencies() -> dict[str, int]:
    """The pyspellchecker English list (word -> frequency); loaded once per process."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en").word_frequency.dictionary


def load_word_list() -> None:
    """Load the English word list now (about 0.3 s), e.g. on a worker before the first import."""
    _word_frequencies()


def _frequency(word: str) -> int:
    return _word_frequencies().get(word.lower(), 0)


def is_dictionary_word(word: str) -> bool:
    """True for a real English word; single letters other than "a" and "I" are not."""
    if len(word) == 1:
        return word.lower() in ("a", "i")
    return _frequency(word) > _JUNK_FREQUENCY


# --- 1. lines and page furniture -------------------------------------------------------


def _is_furniture_token(token: str) -> bool:
    return bool(
        _JOB_NUMBER_RE.fullmatch(token)
        or _PAGE_NUMBER_RE.fullmatch(token)
        or _SYMBOL_LINE_RE.fullmatch(token)
        or _BARCODE_RE.fullmatch(token)
        or _PRINT_DATE_RE.fullmatch(token)
        or token == "(E)"
    )


def _is_furniture(tokens: list[str]) -> bool:
    """A line of page furniture only: page numbers, symbols, job numbers, barcodes.

    Print dates ("090810") count only beside a job number, as UN documents print them.
    """
    if not all(_is_furniture_token(token) for token in tokens):
        return False
    return not any(_PRINT_DATE_RE.fullmatch(t) for t in tokens) or any(_JOB_NUMBER_RE.fullmatch(t) for t in tokens)


def clean_lines(text: str) -> tuple[list[str], str | None]:
    """Split `text` into stripped, non-blank lines without page furniture.

    Furniture is a line made only of job numbers ("V.21-03456 (E)"), page
    numbers ("3/14", "3"), barcodes ("*1050502*") and document symbols (running
    or draft: ".../L.1"), provided it has a job number, page number or barcode,
    or its symbol line repeats (a running header) or stands above the text's
    first words. Returns the lines and the symbol of the running header, if any.
    """
    lines, _offsets, symbol = clean_lines_at(text)
    return lines, symbol


def clean_lines_at(text: str, check: Callable[[], None] = lambda: None) -> tuple[list[str], list[int], str | None]:
    """`clean_lines`, with the offset in `text` where each kept line starts; ``check`` is called
    every thousand lines (an exception it raises stops the work: Cancel)."""
    raw: list[tuple[str, int]] = []
    for number, match in enumerate(re.finditer(r"[^\r\n\f]+", text)):
        if number % 1000 == 0:
            check()
        line = match.group(0).strip()
        if line:
            raw.append((line, match.start()))
    symbol_lines = Counter(line for line, _ in raw if _SYMBOL_LINE_RE.fullmatch(line))
    lines: list[str] = []
    offsets: list[int] = []
    running: Counter[str] = Counter()
    for number, (line, offset) in enumerate(raw):
        if number % 1000 == 0:
            check()
        tokens = re.split(r"\s+", line)
        if _is_furniture(tokens):
            symbols = [token for token in tokens if _SYMBOL_LINE_RE.fullmatch(token)]
            if len(symbols) < len(tokens) or symbol_lines[line] > 1 or not lines:
                running.update(symbols)
                continue
        lines.append(line)
        offsets.append(offset)
    # the document's own symbol before a draft's ("/L.1") when a page carries both; then the most frequent
    symbol = max(running, key=lambda s: (not re.search(r"/L\.\d+$", s), running[s])) if running else None
    return lines, offsets, symbol


# --- 2. footnote blocks ----------------------------------------------------------------


@dataclass(frozen=True)
class FootnoteEntry:
    """A footnote cut out of the running text; `line` is where its block stood."""

    marker: str
    text: str
    line: int


def split_footnotes(lines: list[str]) -> tuple[list[str], list[FootnoteEntry]]:
    """Remove footnote blocks (a "_____" rule, then " 1 text" entries) from `lines`.

    Entries are numbered one after the other across the document; an entry runs
    on over further lines until it ends a sentence, so the body text that resumes
    after the block (often mid-sentence) goes back into the running text.
    """
    kept: list[str] = []
    entries: list[FootnoteEntry] = []
    i = 0
    while i < len(lines):
        if not _FOOTNOTE_RULE_RE.fullmatch(lines[i]):
            kept.append(lines[i])
            i += 1
            continue
        i += 1
        while i < len(lines):
            match = _FOOTNOTE_ENTRY_RE.fullmatch(lines[i])
            if not match or int(match.group(1)) != len(entries) + 1:
                break
            parts = [match.group(2)]
            i += 1
            while not re.search(r"[.)]$", parts[-1]) and i < len(lines):
                if _FOOTNOTE_ENTRY_RE.fullmatch(lines[i]):
                    break
                parts.append(lines[i])
                i += 1
            entries.append(FootnoteEntry(match.group(1), " ".join(parts), len(kept)))
    return kept, entries


# --- 3. vocabulary ---------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """How often the document uses each word and each hyphenated compound (lower case).

    Words broken at a line-end hyphen are left out, so a form found here occurs
    whole somewhere in the document: strong evidence when repairing elsewhere.
    """

    words: Counter[str]
    compounds: Counter[str]

    @classmethod
    def from_lines(cls, lines: list[str]) -> Vocabulary:
        words: Counter[str] = Counter()
        compounds: Counter[str] = Counter()
        broken = False
        for line in lines:
            tokens = _TOKEN_RE.findall(line)
            if broken and tokens:
                tokens = tokens[1:]
            broken = line.endswith("-") and bool(tokens)
            if broken:
                tokens = tokens[:-1]
            for token in tokens:
                (compounds if "-" in token else words)[token.lower()] += 1
        return cls(words, compounds)

    def knows(self, word: str) -> bool:
        """True when the document or the dictionary has `word`."""
        return self.words[word.lower()] > 0 or is_dictionary_word(word)


# --- 4. joining lines ------------------------------------------------------------------


def _join_hyphenated(head: str, tail: str, vocab: Vocabulary) -> str:
    """Join "organi-" + "zation" or "law-" + "enforcement", deciding the hyphen."""
    first = re.search(rf"{_WORD_START}({_LETTERS}(?:-{_LETTERS})*)-$", head)
    second = re.match(r"\w+", tail)
    if not first or not second:
        return head + tail
    left, right = first.group(1), second.group(0)
    if vocab.compounds[f"{left}-{right}".lower()]:
        return head + tail
    joined = left + right
    if "-" not in left and right.islower() and (vocab.words[joined.lower()] or is_dictionary_word(joined)):
        return head[:-1] + tail
    return head + tail


def join_lines(lines: list[str], vocab: Vocabulary) -> str:
    """Join the lines of one block into one string.

    A line ending in a letter and a hyphen continues the word on the next line: the
    hyphen stays when the document uses that compound, the next line goes on with a
    capital or a digit, or the joined form is not a word ("law-enforcement",
    "Non-Proliferation"), and goes otherwise ("organization"). A line ending
    in "/" (a broken document symbol) joins without a space.

    Each decision looks only at the end of the text joined so far (the last
    line, with what was glued onto it), so the time is linear in the block's length.
    """
    parts: list[str] = []
    for line in lines:
        if not parts:
            parts.append(line)
            continue
        tail = parts[-1]
        if re.search(r"[^\W\d_]-$", tail) and re.match(r"\w", line):
            if re.match(r"(?:and|or|to) \S+-\w", line):
                parts.append(line)  # a suspended hyphen: "open-" + "and closed-source"
            else:
                parts[-1] = _join_hyphenated(tail, line, vocab)
        elif re.search(r"\d[–-]$", tail) and re.match(r"\d", line):
            parts[-1] = tail + line  # a range broken after its dash: "2020–" + "2025"
        elif re.search(_SYMBOL + "/$", tail[-200:]):
            parts[-1] = tail + line
        else:
            parts.append(line)
    return " ".join(parts)


# --- 5. footnote markers ---------------------------------------------------------------


def remove_footnote_marker(text: str, marker: str, start: int = 0) -> tuple[str, int] | None:
    """Remove the first footnote `marker` at or after `start`.

    A marker is fused to a word or to punctuation ("Union,1", "States.3") or
    stands alone between punctuation and a capitalised word ("Union, 2 Finland").
    Returns the new text and the marker's position, or None when absent.
    """
    number = re.escape(marker)
    pattern = re.compile(
        rf"(?<=[a-z\u00c0-\u024f][,.;:)”’]){number}(?=\s|$)"
        rf"|(?<=[a-z\u00c0-\u024f]){number}(?=[\s,.;:]|$)"
        rf"|(?<=[,.;:]) {number}(?= [A-Z])"
    )
    match = pattern.search(text, start)
    if not match:
        return None
    return text[: match.start()] + text[match.end() :], match.start()


# --- 6. repairs within a line ----------------------------------------------------------


def attach_detached_hyphens(text: str, vocab: Vocabulary) -> str:
    """Re-attach hyphens cut loose by extraction, leaving real dashes alone.

    "record -keeping" -> "record-keeping", "COVID -19" -> "COVID-19" (a hyphen
    glued to the next word but not the previous one), and a suspended hyphen
    "sex - and age-disaggregated" -> "sex- and age-disaggregated". En and em
    dashes ("2020–2025", "a – b") are never touched.
    """
    text = re.sub(
        rf"{_WORD_START}({_LETTERS}) - (and|or|to) (?=[\w-]+-\w)",
        r"\1- \2 ",
        text,
    )

    def attach(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        compound = f"{left}-{right}"
        if right[0].isalpha() or vocab.compounds[compound.lower()] or left.isupper():
            return compound
        return match.group(0)

    return re.sub(rf"{_WORD_START}({_LETTERS}) -(\w+)", attach, text)


def join_broken_symbols(text: str) -> str:
    """ "CTOC/COP/WG.6/2021/ INF/1/Rev.1" -> "CTOC/COP/WG.6/2021/INF/1/Rev.1"."""
    return re.sub(rf"({_SYMBOL}/) (?=[A-Za-z0-9])", r"\1", text)


def _should_join(left: str, right: str, vocab: Vocabulary) -> bool:
    joined = left + right
    if not (vocab.words[joined.lower()] or is_dictionary_word(joined)):
        return False
    if not is_dictionary_word(left) or not is_dictionary_word(right):
        return True
    if vocab.words[right.lower()] > 1:
        return False  # the second half is a word the document uses on its own
    rarity = _frequency(right)
    return rarity < _RARE_FRAGMENT or (rarity < _UNCOMMON_WORD and vocab.words[joined.lower()] > 0)


def join_split_words(text: str, vocab: Vocabulary) -> str:
    """Join words split by a stray space: "In ternational" -> "International".

    Only a lower-case second half is joined, and only when the joined form is a
    word (dictionary or document) and either half is not a word ("t rafficking",
    "regu late"), or the second half is a fragment the document never uses alone
    and that is rare ("Tour ism") or whose joined form the document uses
    ("region al"). Ordinary pairs ("in to", "a round", "per cent", "Lake Chad")
    are left as they are.
    """
    pattern = re.compile(rf"(?<![\w-])({_LETTERS}) ([a-z\u00df-\u00ff]+)(?=[’']s\b|[^\w-]|$)")
    position = 0
    while match := pattern.search(text, position):
        left, right = match.group(1), match.group(2)
        if _should_join(left, right, vocab):
            text = text[: match.start()] + left + right + text[match.end() :]
            position = match.start()
        else:
            position = match.start(2)
    return text


def tidy_spacing(text: str) -> str:
    """Collapse runs of white space and remove spaces before "," ";" ":" and "."."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=\S) +([,;:.])(?=\s|$)", r"\1", text)


def repair(text: str, vocab: Vocabulary) -> str:
    """Apply every within-line repair to one joined block of text."""
    text = tidy_spacing(text)
    text = join_broken_symbols(text)
    text = attach_detached_hyphens(text, vocab)
    text = join_split_words(text, vocab)
    return tidy_spacing(text)
