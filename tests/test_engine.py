"""The rules engine without Flask: statuses and their band edges, every pace, milestones, sums,
validation errors with their place, and eight threads evaluating at once."""

import threading
from dataclasses import replace
from datetime import date

import pytest

from vscapp.engine.evaluate import Totals, evaluate
from vscapp.engine.pace import expected_share
from vscapp.engine.rulesfile import RulesFileError, Vocabulary, parse_rules

HEADER = """\
year: 2023
decree: KB van 1 oktober 2023
period: {start: 2023-01-01, end: 2023-12-31}
"""


def rules(indicators, header=HEADER):
    return parse_rules(header + "indicators:\n" + indicators)


COUNT_100 = rules("""\
  A:
    measure: count
    events: [individual_consultation]
    target: 100
""")


def status(ruleset, value, as_of, code="individual_consultation", participants=0):
    (result,) = evaluate(ruleset, {code: Totals(value, participants)}, as_of)
    return result


# 14 March 2023 is day 73 of 365: exactly 20 % of the year, so 20 of 100 are expected;
# on track from 90 % of that (18), at risk from 60 % (12), off target below.
@pytest.mark.parametrize(("value", "expected_status"), [
    (100, "met"), (150, "met"), (20, "on_track"), (18, "on_track"),
    (17, "at_risk"), (12, "at_risk"), (11, "off_target"), (0, "off_target"),
])
def test_every_status_and_each_band_edge(value, expected_status):
    result = status(COUNT_100, value, date(2023, 3, 14))
    assert result.expected == 20.0
    assert result.status == expected_status


def test_bands_from_the_file_apply_per_indicator():
    ruleset = rules("""\
  A:
    measure: count
    events: [individual_consultation]
    target: 100
    bands: {on_track: 0.5, at_risk: 0.25}
  B:
    measure: count
    events: [individual_consultation]
    target: 100
""")
    results = evaluate(ruleset, {"individual_consultation": Totals(10, 0)}, date(2023, 3, 14))
    assert [r.status for r in results] == ["on_track", "off_target"]


@pytest.mark.parametrize(("as_of", "share"), [
    (date(2022, 12, 31), 0.0),
    (date(2023, 1, 1), 1 / 365),
    (date(2023, 7, 2), 183 / 365),
    (date(2023, 12, 31), 1.0),
    (date(2024, 2, 1), 1.0),
])
def test_even_pace_at_start_middle_and_end(as_of, share):
    (rule,) = COUNT_100.indicators
    assert expected_share(rule, COUNT_100.start, COUNT_100.end, as_of) == pytest.approx(share)


QUARTERLY = rules("""\
  A:
    measure: count
    events: [awareness_session]
    target: 4
    pace: quarterly
    quarters: [0.25, 0.5, 0.5, 1]
""")


@pytest.mark.parametrize(("as_of", "expected"), [
    (date(2023, 3, 30), 0), (date(2023, 3, 31), 1), (date(2023, 6, 29), 1),
    (date(2023, 6, 30), 2), (date(2023, 9, 30), 2), (date(2023, 12, 30), 2),
    (date(2023, 12, 31), 4),
])
def test_stepwise_quarterly_pace(as_of, expected):
    assert status(QUARTERLY, 0, as_of, "awareness_session").expected == expected


DUE = rules("""\
  A:
    measure: count
    events: [colloquium_participation]
    target: 3
    pace: due
    due: 2023-06-30
""")


def test_due_by_a_date_pace():
    before = status(DUE, 0, date(2023, 6, 29), "colloquium_participation")
    assert (before.expected, before.status, before.days_left) == (0, "on_track", 1)
    after = status(DUE, 2, date(2023, 6, 30), "colloquium_participation")
    assert (after.expected, after.status) == (3, "off_target")
    assert status(DUE, 3, date(2023, 6, 30), "colloquium_participation").status == "met"


def test_short_of_the_target_at_the_end_of_the_period_is_off_target():
    result = status(COUNT_100, 99, date(2023, 12, 31))
    assert result.status == "off_target"
    assert result.explanation() == \
        "99 of 100, 100 expected by now; 1 short at the end of the period"
    assert status(COUNT_100, 99, date(2023, 12, 30)).status == "on_track"


MILESTONE = rules("""\
  M:
    measure: milestone
    events: [listening_space_opened]
    due: 2023-06-30
""")


@pytest.mark.parametrize(("reached", "as_of", "expected_status", "words"), [
    (0, date(2023, 2, 1), "on_track", "not reached yet; due 2023-06-30"),
    (1, date(2023, 2, 1), "met", "1 of 1: met"),
    (0, date(2023, 6, 30), "off_target", "not reached; was due 2023-06-30"),
    (1, date(2023, 9, 1), "met", "1 of 1: met"),
])
def test_yes_no_milestones(reached, as_of, expected_status, words):
    result = status(MILESTONE, reached, as_of, "listening_space_opened")
    assert result.status == expected_status
    assert result.explanation() == words


def test_a_sum_of_participants_not_a_count_of_sessions():
    ruleset = rules("""\
  P:
    measure: sum
    field: participants
    events: [awareness_session]
    target: 5
""")
    result = status(ruleset, 1, date(2023, 12, 31), "awareness_session", participants=7)
    assert (result.value, result.status) == (7, "met")


def test_the_explanation_says_what_is_still_needed():
    result = status(COUNT_100, 14, date(2023, 3, 14))
    assert result.explanation() == "14 of 100, 20 expected by now; 86 more in 292 days"
    assert result.as_dict()["code"] == "A"
    assert set(result.as_dict()) >= {"code", "value", "target", "expected", "status"}


def test_eight_threads_evaluating_at_once_get_their_own_answers():
    errors = []

    def worker(offset):
        try:
            for i in range(150):
                value = (offset * 7 + i) % 40
                result = status(COUNT_100, value, date(2023, 3, 14))
                want = ("on_track" if value >= 18 else "at_risk" if value >= 12
                        else "off_target")
                if (result.value, result.status) != (value, want):
                    errors.append((offset, i, result))
        except Exception as exc:  # noqa: BLE001 (reported below, not swallowed)
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_two_rule_sets_with_different_bands_do_not_mix():
    strict = replace(COUNT_100, indicators=tuple(
        replace(rule, bands=replace(rule.bands, on_track=1.0, at_risk=0.95))
        for rule in COUNT_100.indicators))
    assert status(COUNT_100, 19, date(2023, 3, 14)).status == "on_track"
    assert status(strict, 19, date(2023, 3, 14)).status == "at_risk"
    assert status(COUNT_100, 19, date(2023, 3, 14)).status == "on_track"


VOCABULARY = Vocabulary(indicators={"S1.SD1.OD2.I1": "at_least", "S1.SD1.OD1.I1": "yes_no"},
                        event_types={"individual_consultation", "listening_space_opened"},
                        accounts={"coord@molenbeek.brussels"}, year=2023)
GOOD = HEADER + """\
indicators:
  S1.SD1.OD2.I1:
    measure: count
    events: [individual_consultation]
    target: 10
"""


def errors_of(text, vocabulary=VOCABULARY):
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, vocabulary)
    return [str(e) for e in caught.value.errors]


def with_indicator(body):
    return HEADER + "indicators:\n  S1.SD1.OD2.I1:\n" + body


@pytest.mark.parametrize(("text", "expected"), [
    ("year: 2023\n  decree: [\n", "line 2, column 9: YAML syntax"),
    ("- 1\n- 2\n", "line 1, column 1: expected a mapping"),
    (GOOD + "colour: red\n", "line 9, column 1 (colour): unknown key"),
    (GOOD.replace("decree: KB van 1 oktober 2023\n", ""), "missing key 'decree'"),
    (GOOD.replace("year: 2023", "year: twenty"), "line 1, column 7 (year): expected a year"),
    (GOOD.replace("year: 2023", "year: 2024"), "this file is for 2024, not for 2023"),
    (GOOD.replace("end: 2023-12-31", "end: 2024-12-31"), "(period.end): 2024-12-31 is outside"),
    (GOOD.replace("start: 2023-01-01", "start: 2023-12-31"), "must end after it starts"),
    (GOOD.replace("start: 2023-01-01", "start: soon"), "(period.start): expected a date"),
    (GOOD + "bands: {on_track: 0.6, at_risk: 0.9}\n", "(bands.at_risk): bands out of order"),
    (GOOD + "bands: {on_track: 1.5, at_risk: 0.5}\n", "(bands.on_track): expected a share"),
    (GOOD + "bands: {on_track: 0.9}\n", "(bands): missing key 'at_risk'"),
    (GOOD.replace("S1.SD1.OD2.I1", "S9.SD9.OD9.I9"), "no indicator S9.SD9.OD9.I9 in the plan"),
    (GOOD.replace("[individual_consultation]", "[coffee]"), "no activity type 'coffee'"),
    (GOOD.replace("[individual_consultation]", "[individual_consultation, "
                  "individual_consultation]"), "an activity type appears twice"),
    (GOOD.replace("[individual_consultation]", "[]"), "expected a list of activity type codes"),
    (GOOD.replace("target: 10", "target: -3"), "line 8, column 13 (indicators.S1.SD1.OD2.I1."
                                               "target): expected a whole number of at least 1"),
    (GOOD.replace("target: 10", "target: '10'"), "expected a whole number"),
    (GOOD.replace("    target: 10\n", ""), "missing key 'target'"),
    (GOOD.replace("measure: count", "measure: average"), "expected one of count, sum, milestone"),
    (GOOD.replace("measure: count", "measure: sum"), "a sum needs field"),
    (GOOD.replace("measure: count", "measure: milestone"), "the plan counts this indicator"),
    (with_indicator("    measure: count\n    events: [individual_consultation]\n    target: 1\n"
                    "    field: participants\n"), "only a sum takes a field"),
    (with_indicator("    measure: count\n    events: [individual_consultation]\n    target: 1\n"
                    "    pace: weekly\n"), "(indicators.S1.SD1.OD2.I1.pace): expected one of"),
    (with_indicator("    measure: count\n    events: [individual_consultation]\n    target: 1\n"
                    "    pace: due\n    due: 2024-01-15\n"), "2024-01-15 is outside the period"),
    (with_indicator("    measure: count\n    events: [individual_consultation]\n    target: 1\n"
                    "    due: 2023-05-01\n"), "only pace: due takes a due date"),
    (with_indicator("    measure: count\n    events: [individual_consultation]\n    target: 1\n"
                    "    pace: quarterly\n    quarters: [0.5, 0.25, 0.75, 1]\n"),
     "must grow quarter by quarter"),
    (with_indicator("    measure: count\n    events: [individual_consultation]\n    target: 1\n"
                    "    pace: quarterly\n"), "expected quarters: four shares"),
    (with_indicator("    measure: count\n    events: [individual_consultation]\n    target: 1\n"
                    "    alerts: {off_target: [mayor]}\n"), "'mayor': expected a role"),
    (with_indicator("    measure: count\n    events: [individual_consultation]\n    target: 1\n"
                    "    alerts: {off_target: [x@molenbeek.brussels]}\n"),
     "no active account x@molenbeek.brussels"),
    (with_indicator("    measure: count\n    events: [individual_consultation]\n    target: 1\n"
                    "    alerts: {late: [coordinator]}\n"), "(indicators.S1.SD1.OD2.I1.alerts."
                                                           "late): unknown key"),
    (GOOD + "year: 2023\n", "line 9, column 1: YAML syntax: duplicate key 'year'"),
    ("a: &x [1]\nb: *x\n", "anchors and aliases (& and *) are not allowed"),
    ("a:" + " [" * 10 + "1" + "]" * 10 + "\n", "nested deeper than 8 levels"),
    ("x: '" + "y" * 300_000 + "'\n", "the file is larger than 256 KiB"),
])
def test_every_validation_error_is_reported_with_its_place(text, expected):
    found = errors_of(text)
    assert any(expected in error for error in found), found


def test_milestone_where_the_plan_says_at_least_and_the_reverse():
    text = HEADER + """\
indicators:
  S1.SD1.OD1.I1:
    measure: count
    events: [listening_space_opened]
    target: 1
"""
    assert any("the plan asks yes or no" in e for e in errors_of(text))


def test_all_errors_at_once_not_only_the_first():
    text = GOOD.replace("target: 10", "target: 0").replace("[individual_consultation]",
                                                           "[coffee]") + "colour: red\n"
    assert len(errors_of(text)) == 3


def test_a_valid_file_compiles():
    ruleset = parse_rules(GOOD, VOCABULARY)
    (rule,) = ruleset.indicators
    assert (ruleset.year, rule.code, rule.measure, rule.target, rule.pace) == (
        2023, "S1.SD1.OD2.I1", "count", 10, "even")
    assert (rule.bands.on_track, rule.bands.at_risk) == (0.9, 0.6)
