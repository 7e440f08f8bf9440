"""Synthetic libraries for benchmarks: N reports with the shipped report's structure and vocabulary.

`synthesize` writes a library of ``reports`` documents (sessions of several
working groups over the years) by recombining the rows of the embedded corpus:
each synthetic report copies the template's sections, agenda, participants and
lists; shuffles the summary-of-deliberations paragraphs (their remarks, mentions
and topic tags travel with them); and draws about 50 recommendations and
sub-items from the template's, some with a sentence of another recommendation
appended. Links, topic tags, mentions and "recurs in" rows (against the
previous session of the same working group) are carried over from the rows
they were computed for, so no parser or engine runs: 1,000 reports take
seconds, not hours. A few user annotations are added through
`models.annotations`, as a delegate would make them.

The output depends only on ``seed`` and the embedded corpus (annotation
timestamps aside). The file appears at ``dest`` only when complete. This is a
benchmark fixture: never point it at a delegate's library.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from models.briefing.word import MONTHS  # the dates a report is written with
from models.build.enrich import update_link_counts, update_overview_facts
from models.db import schema
from models.db.library import create_library, make_engine, open_library
from models.paths import EMBEDDED_CORPUS

# (name, symbol body, meetings per year): the bodies whose sessions fill the synthetic library
WORKING_GROUPS = (
    ("Working Group on Firearms", "CTOC/COP/WG.6"),
    ("Working Group on Trafficking in Persons", "CTOC/COP/WG.4"),
    ("Working Group on the Smuggling of Migrants", "CTOC/COP/WG.7"),
    ("Working Group on International Cooperation", "CTOC/COP/WG.3"),
    ("Working Group on Technical Assistance", "CTOC/COP/WG.2"),
    ("Working Group on Asset Recovery", "CAC/COSP/WG.2"),
    ("Working Group on Prevention", "CAC/COSP/WG.4"),
    ("Working Group on the Review of Implementation", "CAC/COSP/IRG"),
    ("Working Group on Cybercrime", "UNODC/CCPCJ/EG.4"),
    ("Working Group on Firearms and Ammunition", "CTOC/COP/WG.8"),
)
SYNTH_VERSION = 3  # part of cached file names: bump when the output changes
PLACES = ("Vienna", "Vienna", "Vienna", "New York", "Geneva")
KEEP_RECOMMENDATION = 0.83  # share of the template's recommendations a report keeps (~50 rows with sub-items)
SWAP_RECOMMENDATION = 0.35  # share replaced by another recommendation of the same section
APPEND_SENTENCE = 0.3  # share of single recommendations given a sentence of another one
CHUNK = 25  # reports per batch of inserts
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-Z])")
_CORPUS_TABLES = (
    "document",
    "section",
    "paragraph",
    "recommendation",
    "agenda_item",
    "participant",
    "panel_seat",
    "statement",
    "document_reference",
    "footnote",
    "remark",
    "link",
    "topic_tag",
    "mention",
    "recurrence",
)


@dataclass(frozen=True)
class SynthStats:
    path: Path
    reports: int
    counts: dict[str, int]  # rows per corpus table
    seconds: float


class _Template:
    """The embedded corpus's rows, grouped for recombination (read once, read-only)."""

    def __init__(self, path: Path) -> None:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        try:

            def rows(sql: str) -> list[dict]:
                return [dict(row) for row in connection.execute(sql)]

            document = rows("SELECT * FROM document ORDER BY position LIMIT 1")
            if not document:
                raise ValueError(f"{path} holds no report to recombine.")
            d = document[0]["id"]
            self.topics = rows("SELECT * FROM topic ORDER BY id")
            self.sections = rows(f"SELECT * FROM section WHERE document_id = {d} ORDER BY position")
            self.paragraphs = rows(f"SELECT * FROM paragraph WHERE document_id = {d} ORDER BY number")
            self.recommendations = rows(f"SELECT * FROM recommendation WHERE document_id = {d} ORDER BY position")
            self.agenda = rows(f"SELECT * FROM agenda_item WHERE document_id = {d} ORDER BY position")
            self.participants = rows(f"SELECT * FROM participant WHERE document_id = {d} ORDER BY position, id")
            self.seats = rows("SELECT * FROM panel_seat ORDER BY id")
            self.statements = rows(f"SELECT * FROM statement WHERE document_id = {d} ORDER BY id")
            self.references = rows(f"SELECT * FROM document_reference WHERE document_id = {d} ORDER BY id")
            self.footnotes = rows(f"SELECT * FROM footnote WHERE document_id = {d} ORDER BY id")
            self.remarks = rows(f"SELECT * FROM remark WHERE document_id = {d} ORDER BY paragraph_id, position")
            self.links = rows("SELECT * FROM link ORDER BY id")
            self.tags = rows("SELECT * FROM topic_tag ORDER BY id")
            self.mentions = rows(f"SELECT * FROM mention WHERE document_id = {d} ORDER BY id")
        finally:
            connection.close()
        chapter = {s["id"]: s["parent_id"] or s["id"] for s in self.sections}
        self.chapter_paragraphs: dict[int, list[dict]] = defaultdict(list)
        for p in self.paragraphs:
            self.chapter_paragraphs[chapter[p["section_id"]]].append(p)
        spoken = {r["paragraph_id"] for r in self.remarks}
        # Chapters whose paragraphs carry remarks (the summary of deliberations) are shuffled per report.
        self.shuffled_chapters = {chapter[p["section_id"]] for p in self.paragraphs if p["id"] in spoken}
        self.tops = [r for r in self.recommendations if r["parent_id"] is None]
        self.subitems: dict[int, list[dict]] = defaultdict(list)
        for r in self.recommendations:
            if r["parent_id"] is not None:
                self.subitems[r["parent_id"]].append(r)
        self.tops_by_section: dict[int, list[dict]] = defaultdict(list)
        for r in self.tops:
            self.tops_by_section[r["section_id"]].append(r)
        self.sentences = [s for r in self.tops if r["id"] not in self.subitems for s in _SENTENCE.split(r["text"]) if len(s) > 40]
        self.remarks_of: dict[int, list[dict]] = defaultdict(list)
        for r in self.remarks:
            self.remarks_of[r["paragraph_id"]].append(r)
        self.links_of: dict[int, list[dict]] = defaultdict(list)
        for link in self.links:
            self.links_of[link["recommendation_id"]].append(link)
        self.rec_tags: dict[int, list[dict]] = defaultdict(list)
        self.remark_tags: dict[int, list[dict]] = defaultdict(list)
        for tag in self.tags:
            if tag["recommendation_id"] is not None:
                self.rec_tags[tag["recommendation_id"]].append(tag)
            elif tag["remark_id"] is not None:
                self.remark_tags[tag["remark_id"]].append(tag)
        self.paragraph_mentions: dict[int, list[dict]] = defaultdict(list)
        self.rec_mentions: dict[int, list[dict]] = defaultdict(list)
        for m in self.mentions:
            if m["recommendation_id"] is not None:
                self.rec_mentions[m["recommendation_id"]].append(m)
            elif m["paragraph_id"] is not None:
                self.paragraph_mentions[m["paragraph_id"]].append(m)
        self.seats_of: dict[int, list[dict]] = defaultdict(list)
        for seat in self.seats:
            self.seats_of[seat["participant_id"]].append(seat)


class _Ids:
    """Next id per table: the generator is the only writer, so ids are assigned here."""

    def __init__(self) -> None:
        self._next: dict[str, int] = defaultdict(lambda: 1)

    def __call__(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value


def _meeting(index: int, taken: set[str]) -> tuple[str, str, str, dt.date, str]:
    """(group, key, symbol, start date, place) of the ``index``-th synthetic report, keys all distinct."""
    group, body = WORKING_GROUPS[index % len(WORKING_GROUPS)]
    session = index // len(WORKING_GROUPS)
    year, quarter = 2000 + session // 4, session % 4
    month = (2, 5, 9, 11)[quarter]
    day = 3 + (index * 7) % 20
    start = dt.date(year, month, day)
    slug = re.sub(r"[^a-z0-9]+", "-", group.lower()).strip("-")
    key = f"{slug}/{start.isoformat()}"
    while key in taken:  # the shipped report's own key stays free for the import benchmark
        start += dt.timedelta(days=1)
        key = f"{slug}/{start.isoformat()}"
    taken.add(key)
    return group, key, f"{body}/{year}/{quarter + 2}", start, PLACES[index % len(PLACES)]


def _report_rows(
    t: _Template, index: int, rng: random.Random, ids: _Ids, taken: set[str], seed: int, previous: dict[int, int]
) -> tuple[dict[str, list[dict]], dict[int, int]]:
    """The rows of one synthetic report; ``previous`` maps template recommendation ids to the rows
    of the last report of the same working group (for "recurs in"). Returns the rows and this
    report's own map."""
    out: dict[str, list[dict]] = defaultdict(list)
    group, key, symbol, start, place = _meeting(index, taken)
    end = start + dt.timedelta(days=2)
    doc = ids("document")
    out["document"].append(
        dict(
            id=doc,
            key=key,
            title=f"Report on the meeting of the {group} held in {place} from {start.day} to {end.day} "
            f"{MONTHS[end.month - 1]} {end.year}",
            symbol=symbol,
            place=place,
            start_date=start,
            end_date=end,
            source_name=f"synthetic-{index:05d}.txt",
            source_hash=hashlib.sha256(f"xref-synth:{seed}:{index}".encode()).hexdigest(),
            position=index,
        )
    )

    section = {}
    for s in t.sections:
        section[s["id"]] = ids("section")
        out["section"].append(
            dict(
                id=section[s["id"]],
                document_id=doc,
                parent_id=section.get(s["parent_id"]),
                label=s["label"],
                title=s["title"],
                position=s["position"],
            )
        )
    agenda = {}
    for a in t.agenda:
        agenda[a["id"]] = ids("agenda_item")
        out["agenda_item"].append(
            dict(
                id=agenda[a["id"]],
                document_id=doc,
                parent_id=agenda.get(a["parent_id"]),
                number=a["number"],
                title=a["title"],
                position=a["position"],
            )
        )
    person = {}
    for p in t.participants:
        person[p["id"]] = ids("participant")
        out["participant"].append({**p, "id": person[p["id"]], "document_id": doc})
        for seat in t.seats_of[p["id"]]:
            out["panel_seat"].append(
                {
                    **seat,
                    "id": ids("panel_seat"),
                    "participant_id": person[p["id"]],
                    "agenda_item_id": agenda[seat["agenda_item_id"]],
                }
            )

    # Paragraphs: the same numbers and sections; deliberation chapters get their texts shuffled.
    paragraph = {}  # template paragraph id -> new id (the slot its text landed in)
    for chapter, slots in t.chapter_paragraphs.items():
        sources = list(slots)
        if chapter in t.shuffled_chapters:
            rng.shuffle(sources)
        for slot, source in zip(slots, sources, strict=True):
            paragraph[source["id"]] = ids("paragraph")
            out["paragraph"].append(
                dict(
                    id=paragraph[source["id"]],
                    document_id=doc,
                    section_id=section[slot["section_id"]],
                    number=slot["number"],
                    text=source["text"],
                )
            )
    remark = {}
    for source in t.paragraphs:
        for r in t.remarks_of[source["id"]]:
            remark[r["id"]] = ids("remark")
            out["remark"].append(
                {
                    **r,
                    "id": remark[r["id"]],
                    "document_id": doc,
                    "paragraph_id": paragraph[source["id"]],
                    "agenda_item_id": agenda.get(r["agenda_item_id"]),
                    "participant_id": person.get(r["participant_id"]),
                }
            )
            for tag in t.remark_tags[r["id"]]:
                out["topic_tag"].append({**tag, "id": ids("topic_tag"), "remark_id": remark[r["id"]]})
        for m in t.paragraph_mentions[source["id"]]:
            out["mention"].append({**m, "id": ids("mention"), "document_id": doc, "paragraph_id": paragraph[source["id"]]})
    for row in t.statements:
        out["statement"].append(
            {
                **row,
                "id": ids("statement"),
                "document_id": doc,
                "agenda_item_id": agenda[row["agenda_item_id"]],
                "participant_id": person.get(row["participant_id"]),
                "paragraph_id": paragraph[row["paragraph_id"]],
            }
        )
    for table, rows in (("document_reference", t.references), ("footnote", t.footnotes)):
        for row in rows:
            out[table].append({**row, "id": ids(table), "document_id": doc, "paragraph_id": paragraph[row["paragraph_id"]]})

    # Recommendations: about 5 in 6 of the template's slots, some filled by another of the same section.
    mine: dict[int, int] = {}  # template recommendation id -> new id, for the next session's recurrences
    number, position = 0, 0
    for slot in t.tops:
        if rng.random() > KEEP_RECOMMENDATION:
            continue
        source = slot
        if rng.random() < SWAP_RECOMMENDATION:
            source = rng.choice(t.tops_by_section[slot["section_id"]])
        number += 1
        family = [source, *t.subitems[source["id"]]]
        altered = False
        parent_id = None
        for r in family:
            new = ids("recommendation")
            body = r["text"]
            if r is source and not t.subitems[source["id"]] and rng.random() < APPEND_SENTENCE:
                body, altered = f"{body} {rng.choice(t.sentences)}", True
            out["recommendation"].append(
                dict(
                    id=new,
                    document_id=doc,
                    section_id=section[slot["section_id"]],
                    parent_id=parent_id,
                    number=f"{number}{r['letter'] or ''}",
                    ordinal=number,
                    letter=r["letter"],
                    position=position,
                    text=body,
                )
            )
            position += 1
            parent_id = parent_id or new
            mine.setdefault(r["id"], new)
            for link in t.links_of[r["id"]]:
                out["link"].append({**link, "id": ids("link"), "recommendation_id": new, "remark_id": remark[link["remark_id"]]})
            for tag in t.rec_tags[r["id"]]:
                out["topic_tag"].append({**tag, "id": ids("topic_tag"), "recommendation_id": new})
            for m in t.rec_mentions[r["id"]]:
                out["mention"].append({**m, "id": ids("mention"), "document_id": doc, "recommendation_id": new})
            if r["id"] in previous:
                score = 0.85 if altered else 1.0
                for a, b in ((new, previous[r["id"]]), (previous[r["id"]], new)):
                    out["recurrence"].append(dict(id=ids("recurrence"), recommendation_id=a, other_id=b, score=score))
    return out, mine


def _batches(t: _Template, reports: int, seed: int) -> Iterator[dict[str, list[dict]]]:
    rng = random.Random(seed)
    ids, taken = _Ids(), {"working-group-on-firearms/2021-05-10"}
    last_of_group: dict[int, dict[int, int]] = {}
    batch: dict[str, list[dict]] = defaultdict(list)
    for index in range(reports):
        group = index % len(WORKING_GROUPS)
        rows, last_of_group[group] = _report_rows(t, index, rng, ids, taken, seed, last_of_group.get(group, {}))
        for table, values in rows.items():
            batch[table].extend(values)
        if (index + 1) % CHUNK == 0:
            yield batch
            batch = defaultdict(list)
    if batch:
        yield batch


def synthesize(
    dest: Path | str, reports: int, seed: int = 0, *, template: Path = EMBEDDED_CORPUS, annotate: bool = True
) -> SynthStats:
    """Write a synthetic library of ``reports`` reports to ``dest`` (replaced if it exists)."""
    if reports < 1:
        raise ValueError("A synthetic library needs at least one report.")
    began = time.perf_counter()
    dest = Path(dest)
    t = _Template(Path(template))
    temporary = dest.with_name(f".{dest.name}.{os.getpid()}.building")
    for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
        leftover.unlink(missing_ok=True)
    try:
        create_library(temporary)
        engine = make_engine(temporary)
        tables = {table.name: table for table in schema.corpus_tables()}
        counts = dict.fromkeys(_CORPUS_TABLES, 0)
        try:
            with engine.connect() as connection:
                # A fresh file nobody else sees: no journal, no fsync, no per-row foreign key checks
                # (tests run `PRAGMA foreign_key_check` on the result).
                connection.commit()  # pragmas below must run outside a transaction
                driver = connection.connection.driver_connection
                for pragma in ("foreign_keys=OFF", "journal_mode=OFF", "synchronous=OFF", "cache_size=-200000"):
                    driver.execute(f"PRAGMA {pragma}")
                with connection.begin():
                    connection.execute(tables["topic"].insert(), t.topics)
                    for batch in _batches(t, reports, seed):
                        for name in _CORPUS_TABLES:
                            if batch.get(name):
                                connection.execute(tables[name].insert(), batch[name])
                                counts[name] += len(batch[name])
                    for fts in ("recommendation", "remark", "paragraph"):
                        connection.execute(text(f"INSERT INTO {fts}_fts(rowid, text) SELECT id, text FROM {fts}"))
                    update_link_counts(connection)
                    update_overview_facts(connection)
                driver.execute("PRAGMA journal_mode=DELETE")
        finally:
            engine.dispose()
        if annotate:
            _annotate(temporary, seed)
    except BaseException:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    for leftover in (Path(f"{dest}-wal"), Path(f"{dest}-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(temporary, dest)
    return SynthStats(dest, reports, counts, time.perf_counter() - began)


NOTE_TEXTS = (
    "Raise with the regional group before the plenary.",
    "Check consistency with the national action plan.",
    "Capital to confirm; see last session's statement.",
    "Supported in the previous session; no change of wording.",
)


def _annotate(path: Path, seed: int) -> None:
    """What a delegation adds over a year: a briefing, a few collections, tags, notes, positions, priorities."""
    from models import annotations  # the user-table API (its own module family)

    rng = random.Random(seed + 1)
    library = open_library(path)
    try:
        with library.begin() as session:
            keys = [
                tuple(row)
                for row in session.execute(
                    text(
                        "SELECT d.key, r.number FROM recommendation r JOIN document d ON d.id = r.document_id "
                        "WHERE r.parent_id IS NULL ORDER BY r.id"
                    )
                )
            ]
            chosen = sorted(rng.sample(range(len(keys)), max(3, len(keys) // 100)))
            picked = [keys[i] for i in chosen]
            annotations.add_to_collection(session, annotations.briefing_collection_id(session), picked[:200])
            for name in ("Tracing", "Financial flows", "For the capital"):
                collection = annotations.create_collection(session, name).ids[0]
                annotations.add_to_collection(session, collection, rng.sample(picked, min(len(picked), 20)))
            tags = [annotations.create_tag(session, name).ids[0] for name in ("follow-up", "national law", "donor")]
            for tag in tags:
                annotations.tag_recommendations(session, tag, rng.sample(picked, min(len(picked), 30)))
            for index, key in enumerate(picked):
                annotations.set_position(session, [key], annotations.POSITIONS[index % len(annotations.POSITIONS)])
                if index % 3 == 0:
                    annotations.set_note(session, key, NOTE_TEXTS[index % len(NOTE_TEXTS)])
            annotations.set_priority(session, picked[::5], True)
    finally:
        library.close()
