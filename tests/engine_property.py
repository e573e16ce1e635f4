"""Validated means evaluable, run in processes of their own (tests/test_fuzz.py starts it).

For every rules file that validates (against the 2023 plan, or without a plan), evaluation on
any event totals at any date gives exactly one status per indicator, the one plain Python
arithmetic gives, without an error, and only plain numbers reach durable-rules. durable-rules
is C and a crash kills the process: by default each example runs in a forked child that must
exit normally (VSC_FUZZ_ENGINE=warm runs them all in this process instead; if that crashed,
the test starting this script sees a negative return code and the example being evaluated is
in the file named by VSC_FUZZ_LAST, as JSON).

Run alone: `python tests/engine_property.py` (VSC_FUZZ=deep for the deep profile).
"""

import json
import math
import os
import sys
import traceback

from hypothesis import given
from hypothesis import strategies as st

from fuzzing import RULES_2023, RULES_TOKENS, VOCABULARY, mutated, rules_documents, totals
from vscapp.engine.durable_engine import PLAIN_LIMIT, compile_ruleset
from vscapp.engine.evaluate import build_facts, evaluate
from vscapp.engine.pace import expected_share
from vscapp.engine.rulesfile import MAX_BAND_SETTINGS, MAX_TARGET, RulesFileError, parse_rules
from vscapp.vocabulary import Status

LAST = os.environ.get("VSC_FUZZ_LAST")
# fresh: each example is evaluated in a child forked from this process, which never touches the
# engine itself, so every evaluation meets durable-rules as a newly started process does (where
# the 1e+16 target segfaulted); warm: all examples in this one process, as in a web worker.
FRESH = os.environ.get("VSC_FUZZ_ENGINE", "fresh") == "fresh"


def reference_status(ruleset, rule, value, as_of):
    """The status by plain arithmetic: what the compiled rules must agree with."""
    if value >= rule.target:
        return "met"
    expected = math.floor(rule.target * expected_share(rule, ruleset.start, ruleset.end, as_of)
                          + 1e-9)
    deadline = rule.due if rule.pace == "due" else ruleset.end
    on_track, at_risk = ((1.0, 1.0) if as_of >= deadline else
                         (rule.bands.on_track, rule.bands.at_risk))
    if value >= expected * on_track:
        return "on_track"
    return "at_risk" if value >= expected * at_risk else "off_target"


def numbers_in(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from numbers_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from numbers_in(item)
    elif isinstance(value, int | float):
        yield value


def check(ruleset, totals, as_of):
    # What goes into durable-rules: plain numbers only (no exponent form, no huge int).
    bands_by_group, facts = build_facts(ruleset, totals, as_of)
    for number in numbers_in([facts, compile_ruleset(bands_by_group)]):
        assert type(number) in (int, float) and abs(number) <= PLAIN_LIMIT, number
        assert "e" not in json.dumps(number), number
    results = evaluate(ruleset, totals, as_of)
    assert [r.code for r in results] == [rule.code for rule in ruleset.indicators]
    for rule, result in zip(ruleset.indicators, results, strict=True):
        assert result.status in set(Status)
        assert result.status == reference_status(ruleset, rule, result.value, as_of), (
            rule, result)
        result.explanation()


def in_a_fresh_child(ruleset, totals, as_of):
    """check() in a forked child; assert that it exited normally (a signal is a crash)."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: report, never return into Hypothesis
        code = 1
        try:
            check(ruleset, totals, as_of)
            code = 0
        except BaseException:  # noqa: BLE001 (printed for the parent, then exit 1)
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert not os.WIFSIGNALED(status), f"the engine crashed: signal {os.WTERMSIG(status)}"
    assert os.WEXITSTATUS(status) == 0, "the check failed in the child (traceback above)"


# Mostly files that validate (the property is about those), then near misses and the rest.
CASES = st.one_of(
    rules_documents().map(lambda text: (text, True)),
    rules_documents(for_plan=False).map(lambda text: (text, False)),
    rules_documents().map(lambda text: (text, True)),
    rules_documents(for_plan=False, beyond=True).map(lambda text: (text, False)),
    st.tuples(rules_documents(valid=False), st.booleans()),
    st.tuples(mutated([RULES_2023], RULES_TOKENS), st.booleans()),
)


@given(case=CASES, totals=totals, as_of=st.dates())
def validated_rules_are_evaluable(case, totals, as_of):
    text, with_plan = case
    try:
        ruleset = parse_rules(text, VOCABULARY if with_plan else None)
    except RulesFileError:
        return
    assert all(1 <= rule.target <= MAX_TARGET for rule in ruleset.indicators)
    assert len({rule.bands for rule in ruleset.indicators}) <= MAX_BAND_SETTINGS
    if LAST:
        with open(LAST, "w", encoding="utf-8") as last:
            json.dump({"rules": text, "with_plan": with_plan, "as_of": as_of.isoformat(),
                       "totals": {code: [t.quantity, t.participants]
                                  for code, t in totals.items()}}, last)
    if FRESH:
        in_a_fresh_child(ruleset, totals, as_of)
    else:
        check(ruleset, totals, as_of)


if __name__ == "__main__":
    validated_rules_are_evaluable()
    print(f"validated rules were evaluable in every example ({'fresh' if FRESH else 'warm'})")
    sys.exit(0)
