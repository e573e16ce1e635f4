"""Strategies for the fuzz and property tests (tests/test_fuzz.py, and tests/engine_property.py,
which runs in a subprocess): edits of the real documents, long lines, bad bytes, and rules
files built from parts, valid or near misses. The profiles are in fixtures/fuzz_profiles.py.
"""

import re
from datetime import date

import yaml
from hypothesis import strategies as st

import helpers
from fixtures.fuzz_profiles import PROFILE  # noqa: F401 (loads the profile in a subprocess too)
from vscapp.engine.evaluate import Totals
from vscapp.engine.rulesfile import Vocabulary
from vscapp.plans.parser import parse_plan
from vscapp.plans.services import flatten

PLAN_NL = helpers.PLAN_2023_NL.read_text(encoding="utf-8")
PLAN_FR = (helpers.DATA / "plan-2023-fr.md").read_text(encoding="utf-8")
RULES_2023 = helpers.RULES_2023.read_text(encoding="utf-8")  # the text, not the path


# -- what gets inserted --------------------------------------------------------------------

CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x7f", "\x85",
           "\x9f", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff"]
NUMBERS = ["0", "-1", "1", "999", "1000", "1000000", "1000001", "2147483648",
           "10000000000000000", "1e16", "1.0e+16", "1e-05", "0.00004", "0.99995", ".nan",
           ".inf", "-.inf", "9" * 40, "9" * 4301, "9" * 5000, "0x1F", "0b101", "0o17", "017",
           "1_000", "1:30", "1:2:3:4:5:6:7:8:9", "٣", "３"]
DATES = ["2023-02-30", "2023-02-29", "2024-02-29", "2023-13-01", "2023-00-10", "0000-01-01",
         "9999-12-31", "2023-01-01 10:00:00", "2023-12-31T23:59:59Z", "2023-1-1",
         "31 februari 2023", "30 février 2023", "1 oktober 0000"]
TEXT = ["", " ", "\t", "\n", "\n\n", "\r", "\r\n", "é", "’", "≥", "😀", "\\", "'", '"',
        "a" * 300, " " * 300]
PLAN_TOKENS = [
    "Activiteitssector 1", "Activiteitssector 2 : X", "Secteur d'activité 1 :",
    "Algemene doelstelling 1 - Activiteitssector 1:", "Objectif général 2 - Secteur d'activité 1",
    "Strategische doelstelling 7 - Domein:", "1. Objectif stratégique 2 - Domaine :",
    "POLE ", "PÔLE RADICALISME", "Operationele doelstellingen\tTe verwachten resultaten\t"
    "Indicatoren", "Objectifs opérationnels\tRésultats attendus\tIndicateurs", "1. ", "- ",
    ": Ja/Nee", ": Oui/Non", ">/=tot 5/jaar", ">/= à 3/an", "≥ tot 2 per jaar", "$\\geq$",
    "\\geq", "&gt;", "**", "__", "<b>", "</b>", "<", ">", "[", "](", ")", "#### ",
    "PROJECTPLAN 2023", "PROJECTPLAN 1999", "PLAN DE PROJET 2023", "PLAN DE PROJET 3000",
    "KB van 1 oktober 2023", "AR du 1er octobre 2023", "STAD/GEMEENTE ", "VILLE/COMMUNE DE ",
]
RULES_TOKENS = [
    ": ", ":", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!python/object:os.system ",
    "!!python/name:os.system", "!!timestamp ", "!!int ", "!!float ", "!!bool ", "!!binary ",
    "!!map ", "!!seq ", "!!set ", "!!omap ", "!!pairs ", "!!str ", "!!null ", "!foo ",
    "<<: ", "? ", "= ", "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "#", "|",
    ">", "~", "null", "yes", "no", "on", "off", "target: ", "measure: milestone",
    "measure: sum", "field: participants", "pace: quarterly", "pace: due",
    "quarters: [0, 0.5, 0.5, 1]", "bands: {on_track: 0.00004, at_risk: 0.00001}",
    "bands: {on_track: .nan, at_risk: .nan}", "due: 2023-02-29",
    "start: 2023-01-01 10:00:00", "year: 99999999999999999999", "events: [x]",
    "alerts: {off_target: [coordinator, [1]]}", "note: [1, 2]",
]

pieces_common = st.one_of(
    st.sampled_from(CONTROL + NUMBERS + DATES + TEXT),
    st.text(max_size=8),
    st.characters().map(str),
)


def pieces(tokens):
    return st.one_of(pieces_common, st.sampled_from(tokens))


DIGITS = re.compile(r"\d+")


@st.composite
def mutated(draw, documents, tokens):
    """One of `documents` with a few random edits: inserts, deletes, replaced spans, a number
    swapped for another (huge, negative, exponent form), a span repeated into a long line."""
    text = draw(st.sampled_from(documents))
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "number",
                                     "repeat", "swap_lines"]))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 120)))
        if kind == "insert":
            text = text[:i] + draw(pieces(tokens)) + text[i:]
        elif kind == "delete":
            text = text[:i] + text[j:]
        elif kind == "replace":
            text = text[:i] + draw(pieces(tokens)) + text[j:]
        elif kind == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif kind == "number":
            numbers = list(DIGITS.finditer(text))
            if numbers:
                match = draw(st.sampled_from(numbers))
                new = draw(st.one_of(st.sampled_from(NUMBERS + DATES),
                                     st.integers(-10**20, 10**20).map(str)))
                text = text[:match.start()] + new + text[match.end():]
        elif kind == "repeat":
            chunk = text[i:j] or draw(pieces(tokens)) or "x"
            times = draw(st.integers(2, max(2, 60_000 // len(chunk))))
            text = text[:i] + chunk * times + text[j:]
        else:
            lines = text.split("\n")
            a, b = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
    return text


@st.composite
def long_lines(draw, documents, tokens):
    """A real document with one very long line inserted: a short chunk repeated thousands of
    times, the shape that makes a backtracking pattern quadratic."""
    text = draw(st.sampled_from(documents))
    chunk = draw(st.one_of(st.sampled_from(tokens + TEXT[1:] + ["[", "<a", " ", "\t", "1 "]),
                           st.text(min_size=1, max_size=4)))
    line = draw(st.sampled_from(["", "- ", "1. ", "POLE ", "#### ", "Activiteitssector 1 "])) \
        + chunk * draw(st.integers(1_000, 40_000)) + draw(st.sampled_from(["", "x", ":", "\t"]))
    lines = text.split("\n")
    at = draw(st.integers(0, len(lines)))
    return "\n".join(lines[:at] + [line] + lines[at:])


@st.composite
def mutated_bytes(draw, documents):
    """The UTF-8 bytes of a real document with random bytes (invalid UTF-8 among them) put in."""
    raw = draw(st.sampled_from(documents)).encode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(raw)))
        cut = draw(st.integers(0, 4))
        new = draw(st.one_of(st.binary(max_size=6),
                             st.sampled_from([b"\xff", b"\xfe\xff", b"\xc3", b"\xe2\x82",
                                              b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x00",
                                              b"\xc0\xaf", b"\xf4\x90\x80\x80"])))
        raw = raw[:at] + new + raw[at + cut:]
    return raw


def nested(depth, opener, closer, inner="1"):
    return "a: " + opener * depth + inner + closer * depth + "\n"


# -- rules files built from parts: mostly valid, with values at and beyond the bounds --------

def plan_vocabulary():
    """What the shipped 2023 plan and rules name: indicators (code -> kind), activity types."""
    parsed = parse_plan(PLAN_NL)
    indicators = {code: extra["kind"] for kind, code, _parent, _n, _text, extra in flatten(parsed)
                  if kind == "indicator"}
    event_types = set(re.findall(r"events: \[([a-z_]+)\]", RULES_2023)) | {"other_type"}
    return Vocabulary(indicators=indicators, event_types=event_types,
                      accounts={"coord@molenbeek.brussels"}, year=2023)


VOCABULARY = plan_vocabulary()
EVENT_TYPES = sorted(VOCABULARY.event_types)
INDICATOR_CODES = sorted(VOCABULARY.indicators)

shares = st.one_of(
    st.sampled_from([0, 1, 0.9, 0.6, 0.5, 0.25, 0.0001, 0.00005, 0.00004, 0.99995, 1.00004,
                     1e-05, 1.5]),
    st.floats(0, 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-2, 2),
)
targets = st.one_of(
    st.integers(1, 20),
    st.integers(1, 1_000_000),
    st.sampled_from([0, -1, 999_999, 1_000_000, 1_000_001, 2**31, 10**15, 10**16, 10**19]),
    st.integers(-10**25, 10**25),
    st.sampled_from([True, "10", 1.5, None]),
)


def dates_around(year):
    return st.one_of(st.dates(date(year, 1, 1), date(year, 12, 31)),
                     st.dates(date(year - 1, 12, 1), date(year + 1, 1, 31)),
                     st.dates())


BEYOND_TARGETS = [1_000_001, 2**31, 2**53 + 1, 10**15, 10**16, 10**19]
BEYOND_BANDS = [{"on_track": 0.00004, "at_risk": 0.00001}, {"on_track": 1.00004, "at_risk": 0.5},
                {"on_track": 0.9, "at_risk": 0.00004}, {"on_track": 1e-05, "at_risk": 1e-06}]


def valid_bands():
    """Bands the validator accepts, down to its edges (4 decimals, at_risk just below)."""
    return st.floats(0.0002, 1).map(lambda x: round(x, 4)).flatmap(
        lambda on_track: st.builds(
            lambda at_risk: {"on_track": on_track, "at_risk": round(at_risk, 4)},
            st.floats(0.0001, on_track - 0.0001)))


def valid_quarters():
    return st.one_of(
        st.lists(st.floats(0, 1), min_size=3, max_size=3).map(lambda q: sorted(q) + [1]),
        st.sampled_from([[0, 0.5, 0.5, 1], [0.25, 0.5, 0.75, 1], [0, 0, 0, 1], [1, 1, 1, 1]]))


@st.composite
def indicator_specs(draw, start, end, kind, valid, beyond=False):
    """One indicator's entry: within the bounds if `valid`, else anything near or beyond them;
    `beyond`: valid but for, now and then, a target or bands just past what the engine takes."""
    if valid:
        measure = "milestone" if kind == "yes_no" else draw(st.sampled_from(["count", "sum"]))
    else:
        measure = draw(st.sampled_from(["count", "sum", "milestone", "average"]))
    spec = {"measure": measure,
            "events": draw(st.lists(st.sampled_from(EVENT_TYPES), min_size=1, max_size=3,
                                    unique=True))}
    if measure == "sum":
        spec["field"] = draw(st.sampled_from(["participants", "quantity"] if valid else
                                             ["participants", "quantity", "notes"]))
    if measure != "milestone":
        spec["target"] = draw(st.one_of(st.integers(1, 20), st.integers(1, 1_000_000),
                                        st.just(1_000_000)) if valid else targets)
        if beyond and draw(st.integers(0, 3)) == 0:
            spec["target"] = draw(st.sampled_from(BEYOND_TARGETS))
    elif draw(st.booleans()):
        spec["target"] = True
    paces = ["due"] if measure == "milestone" else ["even", "due", "quarterly"]
    pace = draw(st.sampled_from(paces + [None]))
    if pace:
        spec["pace"] = pace
    if (pace == "due" or (pace is None and measure == "milestone")) and draw(st.booleans()):
        spec["due"] = draw(st.dates(start, end) if valid else dates_around(start.year))
    if pace == "quarterly":
        spec["quarters"] = draw(valid_quarters() if valid else st.one_of(
            valid_quarters(), st.lists(shares, min_size=3, max_size=5)))
    if draw(st.integers(0, 2)) == 0:
        spec["bands"] = draw(valid_bands() if valid else st.fixed_dictionaries(
            {"on_track": shares, "at_risk": shares}))
        if beyond and draw(st.integers(0, 3)) == 0:
            spec["bands"] = draw(st.sampled_from(BEYOND_BANDS))
    if draw(st.integers(0, 5)) == 0:
        spec["alerts"] = {"off_target": draw(st.lists(st.sampled_from(
            ["coordinator", "liaison", "officer", "coord@molenbeek.brussels"]), max_size=3,
            unique=True))}
    if draw(st.integers(0, 5)) == 0:
        spec["note"] = draw(st.text(max_size=20) if valid else st.one_of(
            st.text(max_size=20), st.just("x" * 1001), st.just([1])))
    return spec


@st.composite
def rules_documents(draw, valid=True, for_plan=True, beyond=False):
    """A rules file as YAML text. `valid`: within every bound the validator sets, for the 2023
    plan's indicators if `for_plan`, else for no plan (other years, codes of no plan, many of
    them to reach the limit of band settings); not `valid`: values at and beyond the bounds as
    well (huge targets, NaN shares, years far off, impossible codes). `beyond`: valid but for a
    few targets or bands just past the bounds, the near misses a validator must catch."""
    if valid:
        year = 2023 if for_plan else draw(st.sampled_from([2023, 2000, 2100, 2024]))
        start, end = sorted(draw(st.lists(st.dates(date(year, 1, 1), date(year, 12, 31)),
                                          min_size=2, max_size=2, unique=True)))
        if draw(st.booleans()):
            start, end = date(year, 1, 1), date(year, 12, 31)
    else:
        year = draw(st.one_of(st.integers(1990, 2110), st.integers(-10**20, 10**20)))
        base = year if 1 < year < 9999 else 2023
        start, end = draw(dates_around(base)), draw(dates_around(base))
    codes = draw(st.lists(st.sampled_from(INDICATOR_CODES), min_size=1, max_size=13,
                          unique=True))
    if not for_plan and draw(st.booleans()):  # codes of no plan; many, to reach the band limit
        codes += [f"X{n}" for n in range(draw(st.integers(1, 60)))]
    if not valid:
        codes += draw(st.lists(st.text(max_size=6), max_size=2))
    low, high = min(start, end), max(start, end)
    doc = {"year": year,
           "decree": draw(st.sampled_from(["KB 2023"] if valid else ["KB 2023", "", "x" * 1001])),
           "period": {"start": start, "end": end},
           "indicators": {code: draw(indicator_specs(low, high, VOCABULARY.indicators.get(
               code, "at_least"), valid, beyond)) for code in codes}}
    if draw(st.booleans()):
        doc["bands"] = draw(valid_bands() if valid else st.fixed_dictionaries(
            {"on_track": shares, "at_risk": shares}))
    if draw(st.booleans()):
        doc["alerts"] = {"off_target": ["coordinator"]}
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


# Non-negative sums of quantities and participants per activity type, small to absurd.
amounts = st.one_of(st.integers(0, 30), st.integers(0, 10**6), st.integers(0, 10**30))
totals = st.dictionaries(st.sampled_from(EVENT_TYPES + ["unknown_type"]),
                         st.builds(Totals, quantity=amounts, participants=amounts), max_size=12)
