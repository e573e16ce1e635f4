"""No input crashes the plan parser or the rules-file loader and validator (Hypothesis), and a
rules file that validates is evaluable, proven in a process of its own that must exit normally.

Arbitrary text and bytes, control characters, invalid UTF-8, huge numbers, deep nesting, very
long lines and mutated versions of the real documents give either a result or the module's own
located error, each example within the profile's deadline. Every failing example found is kept
below as an @example or a plain test. The budget is the `quick` profile of
tests/fixtures/fuzz_profiles.py; `VSC_FUZZ=deep` runs the deep one.
"""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fuzzing import (
    CONTROL,
    PLAN_FR,
    PLAN_NL,
    PLAN_TOKENS,
    PROFILE,
    RULES_2023,
    RULES_TOKENS,
    VOCABULARY,
    long_lines,
    mutated,
    mutated_bytes,
    nested,
    rules_documents,
)
from vscapp.documents import MAX_TARGET, MAX_YEAR, MIN_YEAR
from vscapp.engine import durable_engine
from vscapp.engine.evaluate import Totals, evaluate
from vscapp.engine.rulesfile import (
    MAX_BAND_SETTINGS,
    RuleSet,
    RulesFileError,
    decode,
    load_yaml,
    parse_rules,
)
from vscapp.plans.parser import MAX_NAME, MAX_NUMBER, PlanFormatError, parse_plan
from vscapp.plans.parser import decode as decode_plan

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


# -- the plan parser --------------------------------------------------------------------------

def plan_outcome(text):
    """Parse; a result within the bounds the database stores, or PlanFormatError by line."""
    try:
        parsed = parse_plan(text)
    except PlanFormatError as exc:
        assert exc.errors
        last_line = max(1, len(text.splitlines()))
        for line, message in exc.errors:
            assert isinstance(line, int) and 1 <= line <= last_line, (line, message)
            assert isinstance(message, str) and message
        return exc
    assert MIN_YEAR <= parsed.year <= MAX_YEAR
    assert parsed.municipality is None or len(parsed.municipality) <= MAX_NAME
    for sector in parsed.sectors:
        assert 1 <= sector.number <= MAX_NUMBER
        for general in sector.generals:
            assert 1 <= general.number <= MAX_NUMBER
            for strategic in general.strategics:
                assert 1 <= strategic.number <= MAX_NUMBER
                assert strategic.pole is None or len(strategic.pole) <= MAX_NAME
                for objective in strategic.objectives:
                    assert 1 <= objective.number <= MAX_NUMBER
                    for result in objective.results:
                        for indicator in result.indicators:
                            assert indicator.target is None or \
                                1 <= indicator.target <= MAX_TARGET
    return parsed


@given(st.text())
@example("Activiteitssector 1\x00")
@example("Activiteitssector " + "9" * 5000)
@example("\u2028Activiteitssector 1")
def test_the_plan_parser_reads_any_text_or_says_where_it_cannot(text):
    plan_outcome(text)


@given(mutated([PLAN_NL, PLAN_FR], PLAN_TOKENS))
@example(PLAN_NL.replace("1 oktober 2023", "31 februari 2023"))
@example(PLAN_FR.replace("PLAN DE PROJET 2023", "PLAN DE PROJET 3000"))
@example(PLAN_NL.replace(">/=tot 10/jaar", ">/=tot 10000000000000000/jaar"))
@example(PLAN_NL.replace(">/=tot 10/jaar", ">/=tot " + "9" * 5000 + "/jaar"))
@example(PLAN_NL.replace("Activiteitssector 1", "Activiteitssector " + "1" * 4400))
@example(PLAN_NL.replace("POLE RADICALISME", "POLE " + "R" * 200, 1))
@example(PLAN_NL.replace("Strategische doelstelling 1", "Strategische doelstelling 0"))
def test_mutated_plans_parse_or_give_located_errors(text):
    plan_outcome(text)


@given(long_lines([PLAN_NL, PLAN_FR], PLAN_TOKENS))
@example(PLAN_NL.replace("Ja/Nee", "Ja/Nee" + " " * 60_000 + "x", 1))
@example(PLAN_NL.replace(">/=tot 10/jaar", ">" + " " * 60_000 + "x", 1))
@example(PLAN_NL.replace(">/=tot 10/jaar", ">/=tot 10/jaar" + " " * 60_000 + "x", 1))
@example(PLAN_NL.replace("#### 1. Strategische", "1" + " " * 60_000 + "x", 1))
@example(PLAN_NL + "\n" + "<a" * 60_000 + "\n")
@example(PLAN_NL + "\n" + "[" * 60_000 + "\n")
@example(PLAN_NL + "\n" + "[a](" * 30_000 + "\n")
def test_very_long_lines_are_read_in_linear_time(text):
    plan_outcome(text)


@given(st.one_of(st.binary(), mutated_bytes([PLAN_NL, PLAN_FR])))
@example(PLAN_NL.encode() + b"\n\xff\xfe")
@example(b"\xef\xbb\xbf" + PLAN_NL.encode())
def test_plan_bytes_decode_and_parse_or_give_located_errors(raw):
    try:
        text = decode_plan(raw)
    except PlanFormatError as exc:
        ((line, message),) = exc.errors
        assert 1 <= line <= raw.count(b"\n") + 1
        assert message.startswith("column ") and "not UTF-8 text" in message
        return
    plan_outcome(text)


@pytest.mark.parametrize("char", CONTROL[:13])
def test_a_control_character_in_a_plan_is_an_error_at_its_line_and_column(char):
    lines = PLAN_NL.split("\n")
    lines[6] = lines[6][:4] + char + lines[6][4:]
    with pytest.raises(PlanFormatError) as caught:
        parse_plan("\n".join(lines))
    ((line, message),) = caught.value.errors
    assert line == 7
    assert message == (f"column 5: control character U+{ord(char):04X}: only text, tabs and "
                       "line breaks are allowed")


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("1 oktober 2023 betreffende", "31 februari 2023 betreffende", 7,
     "the date 31 februari 2023 does not exist"),
    ("PROJECTPLAN 2023", "PROJECTPLAN 1999", 3, "the year 1999 is outside 2000 to 2100"),
    ("Activiteitssector 1 :", "Activiteitssector " + "9" * 5000 + " :", 9,
     "activity sector 9999999999999999999…: expected a number from 1 to 999"),
    ("Strategische doelstelling 1 - Domein", "Strategische doelstelling 1000 - Domein", 15,
     "strategic objective 1000: expected a number from 1 to 999"),
    (">/=tot 10/jaar", ">/=tot 10000000000000000/jaar", 23,
     "a target of at least 10000000000000000 is more than 1,000,000"),
    ("POLE RADICALISME\n\nOperationele", "POLE " + "R" * 121 + "\n\nOperationele", 19,
     "the pole's name longer than 120 characters"),
])
def test_numbers_dates_and_names_beyond_the_bounds_are_errors_at_their_line(old, new, line,
                                                                             message):
    assert old in PLAN_NL
    with pytest.raises(PlanFormatError) as caught:
        parse_plan(PLAN_NL.replace(old, new, 1))
    assert any(at == line and message in text for at, text in caught.value.errors), \
        caught.value.errors


def test_invalid_utf8_in_a_plan_is_an_error_at_its_line_and_column():
    raw = PLAN_NL.encode().replace(b"Activiteitssector 1", b"Activit\xe9itssector 1")
    with pytest.raises(PlanFormatError) as caught:
        decode_plan(raw)
    assert caught.value.errors == [(9, "column 12: not UTF-8 text: byte 0xE9 cannot be read")]


# -- the rules-file loader and validator ------------------------------------------------------

def rules_outcome(text, vocabulary=None, load_only=False):
    """Load or validate; a RuleSet within the bounds, or RulesFileError with located errors."""
    try:
        result = load_yaml(text) if load_only else parse_rules(text, vocabulary)
    except RulesFileError as exc:
        assert exc.errors
        for error in exc.errors:
            assert isinstance(error.message, str) and error.message
            assert isinstance(error.path, str)
            if error.line is None:
                assert "larger than" in error.message or error.path, error
            else:
                assert error.line >= 1 and error.column >= 1, error
            str(error)
        return exc
    if not load_only:
        assert isinstance(result, RuleSet)
        assert all(1 <= rule.target <= MAX_TARGET for rule in result.indicators)
    return result


@given(st.text())
@example("year: 2023\x00")
@example("a: !!timestamp x")
@example("a: !!int ''")
@example("a: !!bool maybe")
@example("a: !!float 1.2.3")
@example("!!map a")
@example("a: !!timestamp 2023-02-30")
@example("a: 1:2:3:4:5:6:7:8:9:10:11:12:13:14:15:16:17:18:19:20:21:22:23:24:25")
def test_the_loader_reads_any_text_or_says_where_it_cannot(text):
    rules_outcome(text, load_only=True)
    rules_outcome(text)


@given(mutated([RULES_2023], RULES_TOKENS), st.booleans())
@example(RULES_2023.replace("target: 10\n", "target: 10000000000000000\n", 1), True)
@example(RULES_2023.replace("start: 2023-01-01", "start: 2023-01-01 10:00:00"), True)
@example(RULES_2023.replace("end: 2023-12-31", "end: 2023-02-30"), False)
@example(RULES_2023.replace("on_track: 0.9", "on_track: .nan"), False)
@example(RULES_2023.replace("at_risk: 0.6", "at_risk: 0.00004"), False)
@example(RULES_2023.replace("year: 2023", "year: 99999999999999999999"), True)
@example(RULES_2023.replace("S1.SD1.OD1.I1:", "'S1.SD1.OD1.I1\\n':"), False)
def test_mutated_rules_files_validate_or_give_located_errors(text, with_plan):
    rules_outcome(text, VOCABULARY if with_plan else None)


@given(st.one_of(rules_documents(), rules_documents(for_plan=False),
                 rules_documents(valid=False)), st.booleans())
def test_built_rules_files_validate_or_give_located_errors(text, with_plan):
    rules_outcome(text, VOCABULARY if with_plan else None)


@given(long_lines([RULES_2023], RULES_TOKENS))
@example("a: " + "[" * 100_000)
@example(nested(50_000, "[", "]"))
@example(nested(50_000, "{a: ", "}"))
@example("a:\n" + "".join("  " * n + "- \n" for n in range(1, 200)))
@example("x: '" + "y" * 300_000 + "'\n")
@example("x: [" + "1," * 120_000 + "]\n")
def test_very_long_lines_and_deep_nesting_are_refused_quickly(text):
    rules_outcome(text)


@given(st.one_of(st.binary(), mutated_bytes([RULES_2023])))
@example(b"year: 2023\n\xff")
def test_rules_bytes_decode_and_validate_or_give_located_errors(raw):
    try:
        text = decode(raw)
    except RulesFileError as exc:
        (error,) = exc.errors
        assert error.line >= 1 and error.column >= 1
        assert error.message.startswith("not UTF-8 text")
        return
    rules_outcome(text, VOCABULARY)


HEADER = "year: 2023\ndecree: KB\nperiod: {start: 2023-01-01, end: 2023-12-31}\nindicators:\n"


def errors_of(text, vocabulary=None):
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, vocabulary)
    return [str(error) for error in caught.value.errors]


@pytest.mark.parametrize("char", CONTROL[:13])
def test_a_control_character_in_a_rules_file_is_an_error_at_its_line_and_column(char):
    assert errors_of(f"year: 2023\ndecree: K{char}B\n") == [
        f"line 2, column 10: control character U+{ord(char):04X}: only text, tabs and line "
        "breaks are allowed"]


@pytest.mark.parametrize(("text", "expected"), [
    (HEADER.replace("2023-12-31", "2023-02-30"),
     "line 3, column 34: not a date that exists: '2023-02-30'"),
    (HEADER + "  A: {measure: count, events: [x], target: " + "9" * 5000 + "}\n",
     "line 5, column 44: a number of more than 30 characters"),
    (HEADER + "  A: {measure: count, events: [x], target: 10000000000000000}\n",
     "line 5, column 44 (indicators.A.target): expected a whole number from 1 to 1,000,000"),
    (HEADER + "  A: {measure: count, events: [x], target: 1000001}\n",
     "line 5, column 44 (indicators.A.target): expected a whole number from 1 to 1,000,000"),
    (HEADER.replace("start: 2023-01-01", "start: 2023-01-01 08:00:00"),
     "line 3, column 17 (period.start): expected a date as YYYY-MM-DD"),
    (HEADER.replace("year: 2023", "year: 99999999999999999999"),
     "line 1, column 7 (year): expected a year such as 2023"),
    (HEADER + "  A: {measure: count, events: [x], target: 5, bands: {on_track: 0.00004, "
              "at_risk: 0.00001}}\n",
     "(indicators.A.bands.on_track): expected a share of the expected pace"),
    (HEADER + "  A: {measure: count, events: [x], target: 5, bands: {on_track: .nan, "
              "at_risk: 0.5}}\n",
     "(indicators.A.bands.on_track): expected a share of the expected pace"),
    (HEADER + "  A: {measure: count, events: [X Y], target: 5}\n",
     "(indicators.A.events): 'X Y': expected an activity type code"),
    (HEADER + "  'A B': {measure: count, events: [x], target: 5}\n",
     "line 5, column 3 (indicators.A B): expected an indicator code such as S1.SD1.OD2.I1"),
    (HEADER + "  A: {measure: count, events: [x], target: 5, note: [1]}\n",
     "(indicators.A.note): expected a note as text"),
    (HEADER.replace("decree: KB", "decree: " + "K" * 1001), "(decree): longer than 1000"),
    ("x: [" + "1," * 30_000 + "]\n",
     "line 1, column 49997: more than 25,000 YAML values and brackets: the file is too large"),
    ("a: !!bool maybe\n", "line 1, column 4: cannot read 'maybe' as 'tag:yaml.org,2002:bool'"),
])
def test_values_beyond_the_bounds_are_errors_at_their_place(text, expected):
    found = errors_of(text)
    assert any(expected in error for error in found), found


def test_the_limit_of_band_settings_in_one_file():
    def indicators(n):
        return "".join(f"  A{i}: {{measure: count, events: [x], target: 5, bands: "
                       f"{{on_track: 0.9, at_risk: 0.{i + 10:04}}}}}\n" for i in range(n))

    assert len(parse_rules(HEADER + indicators(MAX_BAND_SETTINGS)).indicators) == 50
    assert errors_of(HEADER + indicators(MAX_BAND_SETTINGS + 1)) == [
        "line 5, column 3 (indicators): more than 50 different bands settings"]


def test_a_target_of_a_million_is_the_largest_and_evaluates():
    ruleset = parse_rules(HEADER + "  A: {measure: count, events: [x], target: 1000000}\n")
    (result,) = evaluate(ruleset, {"x": Totals(10**30, 0)}, date(2023, 6, 1))
    assert (result.status, result.value, result.needed) == ("met", 10**30, 0)
    (result,) = evaluate(ruleset, {"x": Totals(999_999, 0)}, date(2023, 12, 31))
    assert (result.status, result.expected) == ("off_target", 1_000_000)


@pytest.mark.parametrize(("value", "plain"), [
    (3, 3), (0.5, 0.5), (1.0, 1), (0.00004, 0), (2.00001, 2), (0.12345, 0.1235),
    (10**12, 10**12), (-7, -7),
])
def test_plain_number_gives_what_durable_rules_reads(value, plain):
    result = durable_engine.plain_number(value)
    assert result == plain and type(result) is type(plain)
    assert "e" not in json.dumps(result)


@pytest.mark.parametrize("value", [10**12 + 1, 1e16, 10**16, float("nan"), float("inf"), True,
                                   "10", None])
def test_plain_number_refuses_what_durable_rules_mishandles(value):
    with pytest.raises(ValueError):
        durable_engine.plain_number(value)


# -- validated means evaluable, in a process of its own -----------------------------------------

def run_python(args, tmp_path, **env):
    """Run Python in a fresh process; return it (a negative returncode is a signal: a crash)."""
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600 if PROFILE == "quick" else 6 * 3600,
                          env={**os.environ, **env}, check=False)


@pytest.mark.parametrize("engine", ["fresh", "warm"])
def test_validated_rules_are_evaluable_in_a_process_that_exits_normally(tmp_path, engine):
    """Hypothesis runs in a subprocess (tests/engine_property.py): `fresh` evaluates each
    example in a child forked before the engine was ever used, as a new process meets it;
    `warm` evaluates them all in one process, as a web worker does."""
    last = tmp_path / "last-example.json"
    done = run_python([str(HERE / "engine_property.py")], tmp_path, VSC_FUZZ_LAST=str(last),
                      VSC_FUZZ_ENGINE=engine)
    crashed_on = last.read_text(encoding="utf-8") if done.returncode < 0 and last.exists() \
        else ""
    assert done.returncode == 0, (done.returncode, done.stdout[-3000:], done.stderr[-5000:],
                                  crashed_on)
    assert f"validated rules were evaluable in every example ({engine})" in done.stdout


HUGE_TARGET = """
import sys
from dataclasses import replace
from datetime import date
from vscapp.engine.evaluate import Totals, evaluate
from vscapp.engine.rulesfile import parse_rules

ruleset = parse_rules('''{rules}''')
huge = replace(ruleset, indicators=tuple(replace(r, target=10**16) for r in ruleset.indicators))
for as_of in (date(2023, 1, 1), date(2023, 6, 1), date(2023, 12, 31), date(2024, 1, 1)):
    try:
        evaluate(huge, {{"x": Totals(5, 0)}}, as_of)
    except ValueError as exc:
        print("refused:", exc)
    else:
        sys.exit("evaluated a target of 1e16")
(result,) = evaluate(ruleset, {{"x": Totals(10**16, 0)}}, date(2023, 6, 1))
print(result.status, result.value)
"""


def test_the_engine_refuses_a_huge_target_that_bypassed_validation_and_does_not_crash(
        tmp_path):
    """In a fresh process the engine segfaulted on target 1e16 (durable-rules got `1e+16`)."""
    rules = HEADER + "  A: {measure: count, events: [x], target: 10}\n"
    done = run_python(["-c", HUGE_TARGET.format(rules=rules)], tmp_path)
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert done.stdout.count("refused: a number out of the rules engine's range") == 4
    assert done.stdout.endswith("met 10000000000000000\n")

