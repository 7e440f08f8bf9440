"""Why a remark is linked to a recommendation, in words a delegate reads.

A link's strength in words (strong / moderate / weak, from the linking engine's own thresholds) and
its reasons: the phrases both texts share, the speaker's sentence that recommends or calls for
action (chapter II is made of those), and whether the remark was made on the agenda item the
recommendation's section follows. Pure functions: the detail query passes the texts in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from models.engines import linking
from models.engines.remarks import split_sentences

STRONG = "strong"
MODERATE = "moderate"
WEAK = "weak"
STRENGTHS = (WEAK, MODERATE, STRONG)  # a meter shows 1, 2 or 3 bars

_DELIBERATIONS = re.compile(r"deliberations|discussion", re.IGNORECASE)


def strength(score: float) -> str:
    """Strong: the remark states much of the recommendation; moderate: shown by default; weak: on demand."""
    if score >= linking.STRONG_THRESHOLD:
        return STRONG
    if score >= linking.SHOW_THRESHOLD:
        return MODERATE
    return WEAK


def bars(word: str) -> int:
    return STRENGTHS.index(word) + 1 if word in STRENGTHS else 0


def recommending_words(text: str, spans: Sequence[tuple[int, int]]) -> str | None:
    """The words by which the remark recommends ("called for"), in a sentence that shares evidence
    with the recommendation (any sentence of the remark when no evidence is highlighted)."""
    for start, end, words in _recommending_sentences(text):
        if words and (not spans or any(start <= s < end for s, _ in spans)):
            return words
    return None


@lru_cache(maxsize=1024)
def _recommending_sentences(text: str) -> tuple[tuple[int, int, str | None], ...]:
    """(start, end, recommending words or None) of each sentence; a detail asks again for each of its links."""
    found = []
    for start, end in split_sentences(text):
        match = linking.RECOMMENDING.search(text, start, end)
        found.append((start, end, match.group(0) if match else None))
    return tuple(found)


def _quoted(phrases: Sequence[str]) -> str:
    quoted = [f"“{phrase}”" for phrase in phrases]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def reasons(evidence: Sequence[str], recommending: str | None, agenda: str | None, same_item: bool | None) -> tuple[str, ...]:
    """Short sentences saying why the link was made (the details write them under the remark, and as
    the tooltip of the link's strength).

    ``agenda`` names the remark's section of the deliberations ("III.A. Reducing ..."); ``same_item``
    says whether it is the one the recommendation's section follows (None: the report pairs none).
    """
    said = []
    if agenda and len(agenda) > 45:
        agenda = agenda[:44].rstrip() + "…"
    shared: list[str] = []
    for phrase in evidence:  # a word that a phrase already shows is not repeated
        if not any(phrase.lower() in other.lower().split() for other in shared):
            shared.append(phrase)
    if shared:
        said.append(f"Both speak of {_quoted(shared[:3])}.")
    if recommending:
        said.append(f"The speaker calls for action (“{recommending}”).")
    if same_item and agenda:
        said.append(f"Said on the same agenda item ({agenda}).")
    elif same_item is False and agenda:
        said.append(f"Said on another agenda item ({agenda}), which counts for less.")
    return tuple(said)


@lru_cache(maxsize=64)
def deliberation_pairs(sections: tuple[tuple[str, str, str | None], ...]) -> dict[str, str]:
    """Recommendation section label -> the deliberation section on the same agenda item.

    ``sections`` are (label, title, parent chapter's title or None for a chapter) of one document,
    paired as the linker pairs them (`models.linking.align_sections`). Cached: do not change the result.
    """
    deliberations = {label: title for label, title, chapter in sections if chapter and _DELIBERATIONS.search(chapter)}
    others = {label: title for label, title, chapter in sections if chapter and label not in deliberations}
    return linking.align_sections(others, deliberations)
