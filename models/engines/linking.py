"""Linking each recommendation to the remarks behind it.

How a link is scored (the README explains the same for users):

1. **Sentence-level BM25.** Every remark is split into sentences; a
   recommendation is matched against each sentence with BM25 over stemmed
   content words, with IDF computed on the report itself (so words every
   paragraph uses, like "firearms", weigh almost nothing).
2. **Phrases.** Adjacent content words shared by both sides ("end user
   certificates", "financial intelligence units") add their own IDF weight.
3. **Thesaurus concepts** (resources/thesaurus.toml) count as shared terms
   ("cryptocurrencies" ~ "digital currencies").
4. **Coverage.** The best sentence (plus a share of the second best) is divided
   by what the recommendation would score against itself: the score says
   which share of the recommendation's weighted vocabulary the remark carries.
5. **Structure and topics.** Each section of recommendations follows the
   deliberations on the same agenda item; remarks in the matching section keep
   their score, others are discounted. Shared topics add a small bonus.
6. **Recommending sentences** (a speaker recommends, calls for, suggests,
   stresses the need ...) weigh more: chapter II is made of them.
7. **Spread.** Terms found in many sections of the report weigh less.
8. **Second-order closeness.** A recommendation and a remark that are close
   to the same sentences of the report (they keep the same company) gain a
   little, so the remark that speaks of the same matter in words of its own
   rises and the best links stand further above those sharing one phrase.

A link is shown by default when it is among the best on either side: from
`SHOW_THRESHOLD` at `RELATIVE_SHARE` of the best of the recommendation or of
the remark, from `RECIPROCAL_FLOOR` at `RECIPROCAL_SHARE` of the best of both;
the best link of a recommendation is shown down to `BEST_THRESHOLD`; weaker
ones are kept for "show all". All weights are general; none is set per
recommendation (tests/link_quality.py measures them on a held-out half).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from models.engines.lexical import Thesaurus, Token, tokenize
from models.engines.remarks import split_sentences

K1 = 1.2
B = 0.75
PHRASE_WEIGHT = 0.6  # a shared phrase adds this share of its IDF on top of its words
CONCEPT_WEIGHT = 1.0
SECOND_SENTENCE_SHARE = 0.35
OTHER_SECTION_FACTOR = 0.55  # remark outside the deliberations matching the recommendation's section
TOPIC_BONUS = 0.03  # per shared topic, at most three
SHOW_THRESHOLD = 0.15
BEST_THRESHOLD = 0.13
KEEP_THRESHOLD = 0.05
STRONG_THRESHOLD = 0.30  # the remark states much of the recommendation (a "strong" link in the app)
RELATIVE_SHARE = 0.7  # a link from SHOW_THRESHOLD is shown at this share of the best of either side
RECIPROCAL_FLOOR = 0.10  # below SHOW_THRESHOLD, a link is shown from here ...
RECIPROCAL_SHARE = 0.75  # ... at this share of the best of both sides
SPREAD_PENALTY = 0.7  # a term in every section of the report keeps 30% of its weight
RECOMMENDING_BOOST = 0.25  # a speaker's sentence that recommends, calls for, suggests ... weighs this much more
SECOND_ORDER_WEIGHT = 0.2  # second-order closeness above SECOND_ORDER_FLOOR adds this share to a score
SECOND_ORDER_FLOOR = 0.3
RECOMMENDING = re.compile(
    r"\b(?:recommend\w*|call(?:s|ed)? (?:for|on|upon)|suggest\w*|stress\w* the (?:need|importance)|"
    r"encourag\w*|urg(?:e|ed|es)|underline\w*|underscor\w*|emphasi[sz]\w*|highlight\w* the (?:need|importance)|"
    r"need(?:s|ed)? to|should|invit\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RecommendationText:
    key: int
    section: str  # section label, e.g. "II.B"
    text: str
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RemarkText:
    key: int
    section: str  # section label of its paragraph, e.g. "III.A"
    text: str
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LinkRecord:
    recommendation: int
    remark: int
    score: float
    shown: bool
    evidence: tuple[str, ...]  # shared phrases and words, surface forms from the recommendation


@dataclass
class _Bag:
    terms: Counter
    length: int
    surfaces: dict[str, str]  # term -> surface form, for evidence


def _bag(tokens: list[Token], thesaurus: Thesaurus) -> _Bag:
    content = [token for token in tokens if not token.stop and len(token.stem) > 1]
    stems = [token.stem for token in content]
    terms: Counter = Counter(stems)
    surfaces = {token.stem: token.surface for token in content}
    for first, second in zip(content, content[1:]):
        phrase = f"{first.stem} {second.stem}"
        terms[phrase] += 1
        surfaces.setdefault(phrase, f"{first.surface} {second.surface}")
    for name, start, end in thesaurus.concepts_in(stems):
        key = f"~{name}"
        terms[key] += 1
        surfaces.setdefault(key, " ".join(token.surface for token in content[start : end + 1]))
    return _Bag(terms, len(stems), surfaces)


def _weight(term: str) -> float:
    if term.startswith("~"):
        return CONCEPT_WEIGHT
    if " " in term:
        return PHRASE_WEIGHT
    return 1.0


def align_sections(recommendation_sections: dict[str, str], deliberation_sections: dict[str, str]) -> dict[str, str]:
    """Pair each section of recommendations with the deliberation section on the same item, by title overlap."""

    def words(title: str) -> set[str]:
        return {token.stem for token in tokenize(title) if not token.stop} - {"recommend", "base", "context"}

    pairs = {}
    for label, title in recommendation_sections.items():
        best, best_score = None, 0.0
        for other, other_title in deliberation_sections.items():
            mine, theirs = words(title), words(other_title)
            if mine and theirs:
                score = len(mine & theirs) / min(len(mine), len(theirs))
                if score > best_score:
                    best, best_score = other, score
        if best is not None and best_score >= 0.6:
            pairs[label] = best
    return pairs


def link(
    recommendations: Sequence[RecommendationText],
    remarks: Sequence[RemarkText],
    thesaurus: Thesaurus,
    section_pairs: dict[str, str],
) -> list[LinkRecord]:
    """Score every recommendation against every remark of the same report."""
    sentences: list[tuple[int, _Bag, bool]] = []  # (remark index, bag, recommending sentence)
    for index, remark in enumerate(remarks):
        for start, end in split_sentences(remark.text):
            sentence = remark.text[start:end]
            sentences.append((index, _bag(tokenize(sentence), thesaurus), bool(RECOMMENDING.search(sentence))))
    rec_bags = [_bag(tokenize(rec.text), thesaurus) for rec in recommendations]
    documents = [bag for _, bag, _ in sentences] + rec_bags
    frequency: Counter = Counter()
    for bag in documents:
        frequency.update(bag.terms.keys())
    count = len(documents) or 1
    idf = {term: math.log(1 + (count - df + 0.5) / (df + 0.5)) for term, df in frequency.items()}
    average = sum(bag.length for _, bag, _ in sentences) / (len(sentences) or 1)

    norms = [K1 * (1 - B + B * bag.length / (average or 1)) for _, bag, _ in sentences]
    spread = _spread(recommendations, rec_bags, remarks, sentences)
    term_weights = {term: _weight(term) * value * spread.get(term, 1.0) for term, value in idf.items()}

    def bm25(query: _Bag, bag: _Bag, norm: float) -> tuple[float, list[tuple[str, str]]]:
        score, shared = 0.0, []
        for term in query.terms.keys() & bag.terms.keys():
            tf = bag.terms[term]
            score += term_weights[term] * tf * (K1 + 1) / (tf + norm)
            shared.append((term, bag.surfaces.get(term, term)))
        return score, shared

    second_order = _second_order_closeness(rec_bags, sentences, len(remarks), term_weights)
    candidates: list[list[tuple[float, int, set]]] = []
    for rec_index, (rec, query) in enumerate(zip(recommendations, rec_bags)):
        self_score = sum(term_weights[term] for term in query.terms) or 1.0
        per_remark: dict[int, list[tuple[float, list[str]]]] = {}
        for (remark_index, bag, recommending), norm in zip(sentences, norms):
            score, shared = bm25(query, bag, norm)
            if score > 0:
                if recommending:
                    score *= 1 + RECOMMENDING_BOOST
                per_remark.setdefault(remark_index, []).append((score, shared))
        scored = []
        for remark_index, hits in per_remark.items():
            hits.sort(key=lambda hit: hit[0], reverse=True)
            raw = hits[0][0] + (SECOND_SENTENCE_SHARE * hits[1][0] if len(hits) > 1 else 0.0)
            remark = remarks[remark_index]
            score = raw / self_score + SECOND_ORDER_WEIGHT * max(
                0.0, float(second_order[rec_index, remark_index]) - SECOND_ORDER_FLOOR
            )
            home = section_pairs.get(rec.section)
            if home is not None and remark.section != home:
                score *= OTHER_SECTION_FACTOR
            score += TOPIC_BONUS * min(3, len(rec.topics & remark.topics))
            shared = {pair for _, pairs in hits[:2] for pair in pairs}
            scored.append((score, remark_index, shared))
        scored.sort(key=lambda item: item[0], reverse=True)
        candidates.append(scored)

    best_for_remark: dict[int, float] = {}
    for scored in candidates:
        for score, remark_index, _ in scored:
            best_for_remark[remark_index] = max(best_for_remark.get(remark_index, 0.0), score)

    links: list[LinkRecord] = []
    for rec, query, scored in zip(recommendations, rec_bags, candidates):
        best = scored[0][0] if scored else 0.0
        for rank, (score, remark_index, shared) in enumerate(scored):
            if score < KEEP_THRESHOLD:
                break
            best_remark = best_for_remark[remark_index]
            shown = (
                (rank == 0 and score >= BEST_THRESHOLD)
                # among the best for the recommendation, or for the remark
                or (score >= SHOW_THRESHOLD and score >= RELATIVE_SHARE * min(best, best_remark))
                # a weaker link, among the best both for the recommendation and for the remark
                or (score >= RECIPROCAL_FLOOR and score >= RECIPROCAL_SHARE * max(best, best_remark))
            )
            links.append(LinkRecord(rec.key, remarks[remark_index].key, round(score, 4), shown, _evidence(shared, query, idf)))
    return links


def _second_order_closeness(
    rec_bags: list[_Bag], sentences: list[tuple[int, _Bag, bool]], remark_count: int, term_weights: dict[str, float]
):
    """How alike each recommendation and each remark are in the company they keep in the report.

    Every sentence of the deliberations and every recommendation is a row of weighted terms
    (log term frequency times the term's weight, as BM25 weighs them), of unit length. A text's
    *profile* is its closeness (cosine) to each of those rows; a remark's is the sum of its
    sentences'. Two texts whose profiles point the same way are close to the same sentences of
    the report, even where they share few words themselves. The cosine of the two profiles is
    returned, recommendations by remarks. Deterministic: no truncation, no randomness.

    The products are summed term by term over the rows that hold the term, with no matrix
    product: a few hundred rows need no BLAS, whose threads cost more than the sums on a busy
    machine.
    """
    import numpy as np  # off the window's start-up path: only an import links

    rows = [bag for _, bag, _ in sentences] + rec_bags
    weighted = [{term: (1 + math.log(tf)) * term_weights[term] for term, tf in bag.terms.items()} for bag in rows]
    holders: dict[str, list[tuple[int, float]]] = {}
    for row, terms in enumerate(weighted):
        norm = math.sqrt(sum(value * value for value in terms.values())) or 1.0
        for term, value in terms.items():
            holders.setdefault(term, []).append((row, value / norm))
    profiles = np.zeros((len(rows), len(rows)))
    for held in holders.values():
        where = np.array([row for row, _ in held])
        values = np.array([value for _, value in held])
        profiles[np.ix_(where, where)] += np.multiply.outer(values, values)
    remarks = np.zeros((remark_count, len(rows)))
    np.add.at(remarks, [remark_index for remark_index, _, _ in sentences], profiles[: len(sentences)])

    def unit(vectors):
        return vectors / np.maximum(np.sqrt((vectors * vectors).sum(axis=1, keepdims=True)), 1e-12)

    return (unit(profiles[len(sentences) :])[:, None, :] * unit(remarks)[None, :, :]).sum(axis=2)


def _spread(
    recommendations: Sequence[RecommendationText],
    rec_bags: list[_Bag],
    remarks: Sequence[RemarkText],
    sentences: list[tuple[int, _Bag, bool]],
) -> dict[str, float]:
    """Terms used in many sections of the report count for less ("money laundering", "Working Group")."""
    places: dict[str, set[str]] = {}
    for rec, bag in zip(recommendations, rec_bags):
        for term in bag.terms:
            places.setdefault(term, set()).add(rec.section)
    for remark_index, bag, _ in sentences:
        for term in bag.terms:
            places.setdefault(term, set()).add(remarks[remark_index].section)
    sections = len({place for where in places.values() for place in where}) or 1
    # A shared term is in at least two sections (a recommendation's and a remark's): only more count.
    if sections <= 2:
        return {}
    return {term: 1.0 - SPREAD_PENALTY * (len(where) - 2) / (sections - 2) for term, where in places.items() if len(where) > 2}


def _evidence(shared: set[tuple[str, str]], query: _Bag, idf: dict[str, float], limit: int = 8) -> tuple[str, ...]:
    """The most telling shared phrases and words, phrases first, without words a phrase already shows.

    A thesaurus concept contributes its phrasing on both sides ("cryptocurrencies", "digital currencies").
    """
    ranked = sorted(shared, key=lambda pair: (-_weight(pair[0]) * idf[pair[0]] * (2 if " " in pair[0] else 1), pair))
    chosen: list[str] = []
    covered: set[str] = set()
    for term, remark_surface in ranked:
        if idf[term] < 1.0 and not term.startswith("~"):
            continue
        if " " not in term and term in covered:
            continue
        surfaces = [query.surfaces.get(term, term)]
        if term.startswith("~"):
            surfaces.append(remark_surface)
        for surface in surfaces:
            if surface.lower() not in (c.lower() for c in chosen):
                chosen.append(surface)
        covered |= set(term.split(" "))
        if len(chosen) >= limit:
            break
    return tuple(chosen[:limit])


@lru_cache(maxsize=512)
def _content_tokens(text: str) -> tuple[tuple[Token, ...], tuple[str, ...]]:
    """(content tokens, their stems) of a text; a recommendation's detail asks again for each remark."""
    tokens = tuple(token for token in tokenize(text) if not token.stop)
    return tokens, tuple(token.stem for token in tokens)


def highlight_spans(text: str, evidence: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans in ``text`` where the evidence phrases occur, matched on stems."""
    tokens, stems = _content_tokens(text)
    spans = []
    for phrase in evidence:
        wanted = _content_tokens(phrase)[1]
        width = len(wanted)
        if not width:
            continue
        for index in range(len(stems) - width + 1):
            if stems[index : index + width] == wanted:
                spans.append((tokens[index].start, tokens[index + width - 1].end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
