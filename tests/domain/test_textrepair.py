"""Each repair rule of models.parse.textrepair on its own, and on the whole shipped report."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.parse import textrepair
from models.parse.textrepair import Vocabulary

REPORT = Path(__file__).resolve().parents[2] / "resources" / "reports" / "wg-firearms-2021.txt"


def vocab(*lines: str) -> Vocabulary:
    return Vocabulary.from_lines(list(lines))


# --- lines and furniture ---------------------------------------------------------------


def test_clean_lines_drops_blank_lines_and_normalises_line_ends():
    lines, symbol = textrepair.clean_lines("one \r\n\r\n  two\rthree\f\n \n")
    assert lines == ["one", "two", "three"]
    assert symbol is None


def test_clean_lines_drops_page_furniture_and_reports_the_running_symbol():
    text = "\n".join(
        [
            "CTOC/COP/WG.6/2021/4",
            "Report of the meeting",
            "V.21-03456",
            "3/14",
            "\f  CTOC/COP/WG.6/2021/4",
            "text goes on",
            "V.21-03456 (E)        4/14",
            "CTOC/COP/WG.6/2021/4",
        ]
    )
    lines, symbol = textrepair.clean_lines(text)
    assert lines == ["Report of the meeting", "text goes on"]
    assert symbol == "CTOC/COP/WG.6/2021/4"


def test_clean_lines_drops_the_debris_of_older_page_breaks():
    text = "\n".join(
        [
            "CTOC/COP/WG.6/2010/3",
            "CTOC/COP/WG.6/2010/L.1",
            "Report of the meeting",
            "V.10-50502 (E)    090810    100810",
            "*1050502*",
            "\f2",
            "CTOC/COP/WG.6/2010/L.1",
            "text goes on in 2010",
            "3",
            "on 090810 the text said",
        ]
    )
    lines, symbol = textrepair.clean_lines(text)
    assert lines == ["Report of the meeting", "text goes on in 2010", "on 090810 the text said"]
    assert symbol == "CTOC/COP/WG.6/2010/3"  # the report's own symbol, not the draft's


def test_a_print_date_alone_is_not_furniture():
    assert textrepair.clean_lines("Report\n090810\n")[0] == ["Report", "090810"]


def test_joining_lines_looks_only_at_the_end_of_the_text_so_far():
    vocab = textrepair.Vocabulary.from_lines(["organization"])
    lines = ["the organi-", "zation of", "document CTOC/COP/WG.6/2021/", "INF/1 in 2020–", "2025"] * 2000
    joined = textrepair.join_lines(lines, vocab)
    assert joined.startswith("the organization of document CTOC/COP/WG.6/2021/INF/1 in 2020–2025 the organization")
    assert joined.count("organization") == 2000


def test_clean_lines_keeps_a_symbol_that_is_part_of_the_text():
    lines, symbol = textrepair.clean_lines("Report\ncontained in document CTOC/COP/WG.6/2021/\nINF/1/Rev.1.\n")
    assert lines == ["Report", "contained in document CTOC/COP/WG.6/2021/", "INF/1/Rev.1."]
    assert symbol is None


# --- footnotes -------------------------------------------------------------------------


def test_split_footnotes_cuts_the_block_out_of_an_interrupted_sentence():
    lines = [
        "Jordan, Malaysia, Philippines, Russian",
        "__________________",
        "1 On behalf of the European Union and its member States.",
        "2 Ibid.",
        "Federation, Somalia and Yemen.",
    ]
    kept, entries = textrepair.split_footnotes(lines)
    assert kept == ["Jordan, Malaysia, Philippines, Russian", "Federation, Somalia and Yemen."]
    assert [(e.marker, e.text, e.line) for e in entries] == [
        ("1", "On behalf of the European Union and its member States.", 1),
        ("2", "Ibid.", 1),
    ]
    assert textrepair.join_lines(kept, vocab()) == "Jordan, Malaysia, Philippines, Russian Federation, Somalia and Yemen."


def test_split_footnotes_joins_a_footnote_wrapped_over_lines():
    kept, entries = textrepair.split_footnotes(["body", "_______", "1 A long note that", "wraps.", "more body"])
    assert kept == ["body", "more body"]
    assert entries[0].text == "A long note that wraps."


@pytest.mark.parametrize(
    ("text", "marker", "expected"),
    [
        ("Cuba, European Union,1  Finland and Mexico.", "1", "Cuba, European Union,  Finland and Mexico."),
        ("Cuba, European Union, 2 Finland, Ghana", "2", "Cuba, European Union, Finland, Ghana"),
        ("on behalf of the Group.3 The next", "3", "on behalf of the Group. The next"),
    ],
)
def test_remove_footnote_marker(text, marker, expected):
    assert textrepair.remove_footnote_marker(text, marker)[0] == expected


@pytest.mark.parametrize(
    "text", ["under agenda items 2, 3 and 4.", "paragraph 2 of resolution 5/4", "COVID-19 pandemic", "target 16.4.2"]
)
def test_numbers_in_the_text_are_not_footnote_markers(text):
    assert all(textrepair.remove_footnote_marker(text, marker) is None for marker in ("1", "2", "3", "4"))


# --- joining lines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "known", "expected"),
    [
        (["the organi-", "zation of work"], (), "the organization of work"),
        (["customs and law-", "enforcement authorities"], (), "customs and law-enforcement authorities"),
        (["record-", "keeping systems"], ("national record-keeping mechanisms",), "record-keeping systems"),
        (["General for Non-", "Proliferation"], (), "General for Non-Proliferation"),
        (["the COVID-", "19 pandemic"], (), "the COVID-19 pandemic"),
        (["including open-", "and closed-source data"], (), "including open- and closed-source data"),
        (["document CTOC/COP/WG.6/2021/", "INF/1/Rev.1."], (), "document CTOC/COP/WG.6/2021/INF/1/Rev.1."),
        (["for the period 2020–", "2025."], (), "for the period 2020–2025."),
        (["in  accordance", "with"], (), "in  accordance with"),
    ],
)
def test_join_lines(lines, known, expected):
    assert textrepair.join_lines(lines, vocab(*known)) == expected


# --- repairs within a line -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("legal regimes record -keeping systems", "legal regimes record-keeping systems"),
        ("collecting sex - and age-disaggregated data", "collecting sex- and age-disaggregated data"),
        ("other international anti -corruption treaties", "other international anti-corruption treaties"),
        ("in the light of the COVID -19 pandemic", "in the light of the COVID-19 pandemic"),
        ("for the period 2020–2025", "for the period 2020–2025"),
        ("two tasks – both urgent – remain", "two tasks – both urgent – remain"),
        ("a temperature of -5 degrees", "a temperature of -5 degrees"),
    ],
)
def test_attach_detached_hyphens(text, expected):
    assert textrepair.attach_detached_hyphens(text, vocab("the COVID-19 pandemic")) == expected


def test_join_broken_symbols():
    assert (
        textrepair.join_broken_symbols("in document CTOC/COP/WG.6/2021/ INF/1/Rev.1. Next")
        == "in document CTOC/COP/WG.6/2021/INF/1/Rev.1. Next"
    )
    assert textrepair.join_broken_symbols("resolution 5/4 and 7/1") == "resolution 5/4 and 7/1"


def test_tidy_spacing():
    assert textrepair.tidy_spacing(" Finland, Mexico, Nigeria , Spain  and  Chad .") == (
        "Finland, Mexico, Nigeria, Spain and Chad."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("such as UNODC, the In ternational Criminal Police", "such as UNODC, the International Criminal Police"),
        ("all stages of the t rafficking chain", "all stages of the trafficking chain"),
        ("enhance their capacity to regu late brokering", "enhance their capacity to regulate brokering"),
        ("disposal of seized and confiscat ed firearms", "disposal of seized and confiscated firearms"),
        ("firearms, their p arts and components", "firearms, their parts and components"),
        ("for tracking the countr y’s progress", "for tracking the country’s progress"),
        ("international and region al arms control", "international and regional arms control"),
        ("build on the complement ary nature", "build on the complementary nature"),
        ("specific topics and thematic priorit ies related", "specific topics and thematic priorities related"),
        ("national firearms focal poin ts to act", "national firearms focal points to act"),
        ("the Ministry of Trade, Tour ism and Telecommunications", "the Ministry of Trade, Tourism and Telecommunications"),
        ("including mak ing use of the synergies", "including making use of the synergies"),
    ],
)
def test_join_split_words(text, expected):
    document = vocab("regional and international levels", "in the Sahel region", text)
    assert textrepair.join_split_words(text, document) == expected


@pytest.mark.parametrize(
    "text",
    [
        "they were handed in to the police",
        "seated at a round table",
        "the meeting went on going",
        "in particular around Lake Chad",
        "70 per cent of which",
        "in line with article 13",
        "no one spoke; every one of them agreed",
        "to engage in effective cooperation",
    ],
)
def test_ordinary_word_pairs_are_not_joined(text):
    document = vocab("walked into the room and around it, an ongoing", "a round table", text)
    assert textrepair.join_split_words(text, document) == text


def test_repairing_the_whole_report_keeps_legitimate_word_pairs():
    lines, _ = textrepair.clean_lines(REPORT.read_text(encoding="utf-8"))
    document = Vocabulary.from_lines(lines)
    repaired = textrepair.repair(textrepair.join_lines(lines, document), document)
    for pair in (
        "as a useful network",
        "In line with the Firearms Protocol",
        "70 per cent",
        "around Lake Chad",
        "in effective international cooperation",
        "in a hybrid format",
        "for a dual purpose",
        "can be an important part",
        "in case of loss",
        "inter alia",
        "ad hoc bodies",
        "end user certificates",
        "Boko Haram",
        "Organization Crime Convention",
        "for the period 2020–2025",
    ):
        assert pair in repaired
    for damage in ("In ternational", "t rafficking", "Tour ism", " -", " ,", "  "):
        assert damage not in repaired


def test_a_long_run_of_letters_is_repaired_in_time_linear_in_its_length():
    """A line of tens of thousands of letters (a damaged extraction) once took minutes: each pattern was
    retried from every letter of the run. Measured as a ratio in one run: the same number of letters in
    runs ten times longer costs about the same (it cost ten times more)."""
    import time

    words = vocab("record-keeping systems")

    def cost(letters: int, times: int) -> float:
        run = "x" * letters
        line = f"the {run} -keeping and {run} - and {run}"
        start = time.perf_counter()
        for _ in range(times):
            assert textrepair.attach_detached_hyphens(line, words).startswith("the x")
            textrepair.join_lines([f"word {run}-", "keeping"], words)
        return time.perf_counter() - start

    cost(1_000, 1)  # warm the pattern cache
    short, long = cost(1_000, 40), cost(10_000, 4)
    assert long < 4 * short, f"{long:.3f} s for runs ten times longer, against {short:.3f} s"
