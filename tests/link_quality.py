"""Measuring the links shown by default against two readings of the shipped report.

Two readings of which chapter III paragraphs stand behind which recommendation:

- ``ours`` (tests/reference_links.py), written by the people who tuned the linker;
- ``blind`` (tests/reference_blind.py), written from the report text alone, without seeing the
  linker, its output or our reading;
- ``blind2`` (tests/reference_blind2.py), a second reading made the same way and as blind (it saw
  neither of the others). It was added after every weight was set, so no choice was made on it.

Each reading has PRIMARY pairs (what a delegate would point to first) and ACCEPTABLE pairs
(defensible, PRIMARY included). Against a reading, *recall* is the share of its primary pairs that
are shown and *precision* the share of shown pairs it accepts. The union of two readings accepts
and expects what either does; the intersection only what both do.

The linker is tuned on sections A and B of chapter II (recommendations 1-22) only; sections C and
D (23-47k) are held out and only reported. Run ``python -m tests.link_quality`` for the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests import reference_blind, reference_blind2, reference_links

Pairs = dict[str, set[int]]

TUNING_SECTIONS = ("II.A", "II.B")
HELD_OUT_SECTIONS = ("II.C", "II.D")


def _number(label: str) -> int:
    return int(label.rstrip("abcdefghijklmnopqrstuvwxyz"))


def in_tuning_half(label: str) -> bool:
    """Recommendations 1-22 (sections II.A and II.B of the 2021 report) and their sub-items."""
    return _number(label) <= 22


@dataclass(frozen=True)
class Reading:
    name: str
    primary: Pairs
    acceptable: Pairs  # primary included

    def labels(self) -> set[str]:
        return set(self.primary) | set(self.acceptable)


def _ours() -> Reading:
    labels = set(reference_links.PRIMARY) | set(reference_links.ACCEPTABLE)
    return Reading(
        "ours", {k: set(v) for k, v in reference_links.PRIMARY.items()}, {k: reference_links.acceptable(k) for k in labels}
    )


def _blind(name: str, module) -> Reading:
    """A blind reading: its ACCEPTABLE holds only what it adds to PRIMARY."""
    labels = set(module.PRIMARY) | set(module.ACCEPTABLE)
    return Reading(
        name,
        {k: set(v) for k, v in module.PRIMARY.items()},
        {k: module.PRIMARY.get(k, set()) | module.ACCEPTABLE.get(k, set()) for k in labels},
    )


def _combine(name: str, first: Reading, second: Reading, op) -> Reading:
    labels = first.labels() | second.labels()
    return Reading(
        name,
        {k: op(first.primary.get(k, set()), second.primary.get(k, set())) for k in labels},
        {k: op(first.acceptable.get(k, set()), second.acceptable.get(k, set())) for k in labels},
    )


OURS = _ours()
BLIND = _blind("blind", reference_blind)
BLIND2 = _blind("blind2", reference_blind2)
UNION = _combine("union", OURS, BLIND, set.__or__)
INTERSECTION = _combine("intersection", OURS, BLIND, set.__and__)
EITHER_BLIND = _combine("either blind", BLIND, BLIND2, set.__or__)
BOTH_BLIND = _combine("both blind", BLIND, BLIND2, set.__and__)
READINGS = (OURS, BLIND, BLIND2, UNION, INTERSECTION, EITHER_BLIND, BOTH_BLIND)
PAIRS_OF_READINGS = ((OURS, BLIND), (OURS, BLIND2), (BLIND, BLIND2))


@dataclass(frozen=True)
class Quality:
    shown: int
    good: int  # shown pairs the reading accepts
    primary: int
    found: int  # primary pairs shown

    @property
    def recall(self) -> float:
        return self.found / self.primary if self.primary else 1.0

    @property
    def precision(self) -> float:
        return self.good / self.shown if self.shown else 1.0


def _flat(pairs: Pairs, keep) -> set[tuple[str, int]]:
    return {(label, paragraph) for label, paragraphs in pairs.items() if keep(label) for paragraph in paragraphs}


def _half(half: str):
    return {"tuning": in_tuning_half, "held-out": lambda label: not in_tuning_half(label), "all": lambda label: True}[half]


def measure(shown: Pairs, reading: Reading, half: str = "all") -> Quality:
    """Recall of the reading's primary pairs and precision of the shown pairs, on one half of the report."""
    keep = _half(half)
    shown_set, primary, acceptable = (_flat(p, keep) for p in (shown, reading.primary, reading.acceptable))
    return Quality(len(shown_set), len(shown_set & acceptable), len(primary), len(primary & shown_set))


def f1(first: set, second: set) -> float:
    return 2 * len(first & second) / (len(first) + len(second)) if first or second else 1.0


def agreement(first: Reading = OURS, second: Reading = BLIND, half: str = "all") -> tuple[float, float]:
    """F1 of the two readings' primary pairs, and of all their pairs (acceptable, primary included)."""
    keep = _half(half)
    return (
        f1(_flat(first.primary, keep), _flat(second.primary, keep)),
        f1(_flat(first.acceptable, keep), _flat(second.acceptable, keep)),
    )


def table(shown: Pairs) -> str:
    """The quality table in Markdown, one row per reading and half."""
    lines = [
        "| reading | half | recall of primary | precision | shown | outside the reading | primary missed |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for reading in READINGS:
        for half in ("tuning", "held-out", "all"):
            q = measure(shown, reading, half)
            lines.append(
                f"| {reading.name} | {half} | {q.recall:.2f} | {q.precision:.2f} | {q.shown} | "
                f"{q.shown - q.good} | {q.primary - q.found} |"
            )
    lines.append("")
    lines.append("Union and intersection are of ours and blind; either blind and both blind, of the two blind readings.")
    lines.append("")
    lines.append("| readings | half | F1 of primary pairs | F1 of all pairs |")
    lines.append("| --- | --- | ---: | ---: |")
    for first, second in PAIRS_OF_READINGS:
        for half in ("tuning", "held-out", "all"):
            primary, every = agreement(first, second, half)
            lines.append(f"| {first.name} ~ {second.name} | {half} | {primary:.2f} | {every:.2f} |")
    return "\n".join(lines)


def shown_pairs_in(session) -> Pairs:
    """Recommendation number -> paragraphs of the links shown by default (the `links` export)."""
    from models.queries.exports import export_link_rows

    pairs: Pairs = {}
    for row in export_link_rows(session):
        pairs.setdefault(row["recommendation"], set()).add(row["paragraph"])
    return pairs


def weaker_pairs_in(session) -> Pairs:
    """Recommendation number -> paragraphs of every link kept, as "Show Weaker Links" shows them."""
    from sqlalchemy import select

    from models.db import schema
    from models.queries.behind import remarks_behind

    numbers = dict(session.execute(select(schema.Recommendation.id, schema.Recommendation.number)).all())
    pairs: Pairs = {}
    for rec_id, remarks in remarks_behind(session, list(numbers), include_weaker=True).items():
        for remark in remarks:
            pairs.setdefault(numbers[rec_id], set()).add(remark.paragraph)
    return pairs


def weaker_table(pairs: Pairs) -> str:
    """Recall and precision with the weaker links shown too, against the blind readings."""
    lines = [
        "With weaker links shown (every link kept, from 0.05):",
        "",
        "| reading | half | recall of primary | precision | shown |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for reading in (BLIND, BLIND2):
        for half in ("tuning", "held-out", "all"):
            q = measure(pairs, reading, half)
            lines.append(f"| {reading.name} | {half} | {q.recall:.2f} | {q.precision:.2f} | {q.shown} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    from models.db.library import open_library
    from models.paths import EMBEDDED_CORPUS

    library = open_library(sys.argv[1] if len(sys.argv) > 1 else EMBEDDED_CORPUS, read_only=True)  # a measure never writes
    with library.sessions() as s:
        print(table(shown_pairs_in(s)))
        print()
        print(weaker_table(weaker_pairs_in(s)))
    library.close()
