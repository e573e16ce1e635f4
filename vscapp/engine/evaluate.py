"""Evaluation: from aggregated event counts to a status per indicator, with its explanation."""

import math
from dataclasses import dataclass
from datetime import date

from vscapp.engine import durable_engine
from vscapp.engine.pace import days_left, expected_share


def N_(message):
    """Marks a message for the translation catalogues; the web app translates it."""
    return message


EXPLANATIONS = {
    "met": N_("%(value)s of %(target)s: met"),
    "pending": N_("not reached yet; due %(due)s"),
    "missed": N_("not reached; was due %(due)s"),
    "behind": N_("%(value)s of %(target)s, %(expected)s expected by now; %(needed)s more in "
                 "%(days)s days"),
    "short": N_("%(value)s of %(target)s, %(expected)s expected by now; %(needed)s short at "
                "the end of the period"),
}


@dataclass(frozen=True)
class Totals:
    """What the SQL aggregate gives per activity type: sum of quantity, of participants."""

    quantity: int = 0
    participants: int = 0


@dataclass(frozen=True)
class IndicatorStatus:
    code: str
    measure: str
    value: int
    target: int
    expected: float
    status: str
    needed: int
    days_left: int
    due: date

    def as_dict(self):
        return {"code": self.code, "measure": self.measure, "value": self.value,
                "target": self.target, "expected": self.expected, "status": self.status,
                "needed": self.needed, "days_left": self.days_left, "due": self.due.isoformat(),
                "explanation": self.explanation()}

    def explanation_parts(self):
        """Which explanation applies and its numbers: (key of EXPLANATIONS, parameters)."""
        params = {"value": self.value, "target": self.target, "expected": f"{self.expected:g}",
                  "needed": self.needed, "days": self.days_left, "due": self.due.isoformat()}
        if self.status == "met":
            return "met", params
        if self.measure == "milestone":
            return ("pending" if self.days_left else "missed"), params
        return ("behind" if self.days_left else "short"), params

    def explanation(self):
        """Plain words (English): where it stands and what is still needed."""
        key, params = self.explanation_parts()
        return EXPLANATIONS[key] % params


# Once the deadline has passed there is no pace left to be on: short of the target is off it.
FINAL_BANDS = (1.0, 1.0)


def value_of(rule, totals):
    """The indicator's value from the per-type totals."""
    rows = [totals.get(code, Totals()) for code in rule.events]
    if rule.measure == "milestone":
        return 1 if any(row.quantity > 0 for row in rows) else 0
    if rule.measure == "sum" and rule.field == "participants":
        return sum(row.participants for row in rows)
    return sum(row.quantity for row in rows)


def build_facts(ruleset, totals, as_of):
    """One fact per indicator, and the band groups the compiled rules need.

    Only what the engine handles goes in: a fact is keyed by its position (`i0`, `i1`...), not
    by the code the file gave, and its value is capped at the target (anything from the target
    up is met alike), so every number is bounded by the validated target.
    """
    groups, facts = {}, []
    for position, rule in enumerate(ruleset.indicators):
        bands = (rule.bands.on_track, rule.bands.at_risk)
        if as_of >= (rule.due if rule.pace == "due" else ruleset.end):
            bands = FINAL_BANDS
        group = groups.setdefault(bands, f"g{len(groups)}")
        # Activities come whole: what is expected by now is the whole number due by now, so
        # a target of 3 a year expects nothing yet in January rather than "0.25".
        expected = math.floor(rule.target * expected_share(rule, ruleset.start, ruleset.end,
                                                           as_of) + 1e-9)
        facts.append({"code": f"i{position}", "group": group,
                      "value": durable_engine.plain_number(min(value_of(rule, totals),
                                                               rule.target)),
                      "target": durable_engine.plain_number(rule.target),
                      "expected": durable_engine.plain_number(expected)})
    return {name: bands for bands, name in groups.items()}, facts


def evaluate(ruleset, totals, as_of):
    """A status per indicator of `ruleset` at `as_of`; `totals` maps type code -> Totals."""
    bands_by_group, facts = build_facts(ruleset, totals, as_of)
    found = durable_engine.statuses(durable_engine.compile_ruleset(bands_by_group), facts)
    left = days_left(ruleset.end, as_of)
    results = []
    for rule, fact in zip(ruleset.indicators, facts, strict=True):
        value = value_of(rule, totals)
        results.append(IndicatorStatus(
            code=rule.code, measure=rule.measure, value=value, target=rule.target,
            expected=round(float(fact["expected"]), 1), status=found[fact["code"]],
            needed=max(0, rule.target - value),
            days_left=days_left(rule.due, as_of) if rule.pace == "due" else left,
            due=rule.due or ruleset.end))
    return results
