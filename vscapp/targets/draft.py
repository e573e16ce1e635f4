"""A draft rules file for a year, written from its imported plan for the coordinator to review.

Targets come from the plan (the new decree's thresholds); how each indicator is measured is
carried over from the latest earlier year that has active rules for the same code. A new
indicator gets an empty `events: []` that validation refuses until someone fills it in.
"""

from datetime import date

import yaml
from sqlalchemy import select

from vscapp.clock import today
from vscapp.extensions import db
from vscapp.plans.models import IndicatorKind
from vscapp.plans.services import live_indicators, plan_for_year
from vscapp.targets.editing import DEFAULT, YearTargets, carried_over, from_text
from vscapp.targets.models import RulesActivation
from vscapp.targets.services import active_version, compiled


class DraftError(LookupError):
    pass


def previous_rules(year):
    """{code: IndicatorRule} of the latest earlier year with active rules, and that year."""
    earlier = db.session.scalar(select(RulesActivation.year).where(RulesActivation.year < year)
                                .order_by(RulesActivation.year.desc()).limit(1))
    if earlier is None:
        return {}, None
    ruleset = compiled(active_version(earlier).content)
    return {rule.code: rule for rule in ruleset.indicators}, earlier


def draft_targets(year, lang):
    """A year's targets for the form: the plan's indicators, each carried over from the latest
    earlier year's active rules where its code is there too, else to set."""
    plan = plan_for_year(year)
    if plan is None:
        raise DraftError(f"no plan for {year}")
    earlier = db.session.scalar(select(RulesActivation.year).where(RulesActivation.year < year)
                                .order_by(RulesActivation.year.desc()).limit(1))
    previous = from_text(active_version(earlier).content) if earlier else None
    decree = getattr(plan, f"decree_{lang}") or next(
        (d for d in (plan.decree_nl, plan.decree_fr) if d), "")
    targets = YearTargets(year, decree, date(year, 1, 1), date(year, 12, 31),
                          previous.bands if previous else DEFAULT,
                          previous.alerts if previous else {"off_target": ("coordinator",)})
    for indicator in live_indicators(plan):
        targets.indicators.append(carried_over(
            previous.indicator(indicator.code) if previous else None, indicator.code,
            indicator.kind == IndicatorKind.YES_NO, indicator.target, year))
    return targets, earlier


def draft_rules(year):
    plan = plan_for_year(year)
    if plan is None:
        raise DraftError(f"no plan for {year}: import it first with `vsc plan import`")
    carried, earlier = previous_rules(year)
    lang = (plan.languages or ["nl"])[0]
    lines = [
        f"# Rules for {year}: a draft written from the imported plan on {today()}.",
        "# Review every indicator, then: vsc rules validate FILE; vsc rules activate FILE "
        "--reason '...'",
        f"# How each indicator is measured was carried over from {earlier}." if earlier else
        "# No earlier year has rules: fill in events: for every indicator.",
        f"year: {year}",
        f"decree: {_scalar(getattr(plan, f'decree_{lang}') or f'Decree {year}')}",
        "period:",
        f"  start: {year}-01-01",
        f"  end: {year}-12-31",
        "bands:          # share of the expected pace: on track from, at risk from",
        "  on_track: 0.9",
        "  at_risk: 0.6",
        "alerts:",
        "  off_target: [coordinator]",
        "indicators:",
    ]
    for indicator in live_indicators(plan):
        lines += _indicator_lines(indicator, carried.get(indicator.code), year, lang)
    return "\n".join(lines) + "\n"


def _indicator_lines(indicator, previous, year, lang):
    text = getattr(indicator, f"text_{lang}") or indicator.code
    lines = [f"  # {' '.join(text.split())}", f"  {indicator.code}:"]
    milestone = indicator.kind == IndicatorKind.YES_NO
    if previous is not None and (previous.measure == "milestone") == milestone:
        lines.append(f"    measure: {previous.measure}")
        lines.append(f"    events: [{', '.join(previous.events)}]")
        if previous.field:
            lines.append(f"    field: {previous.field}")
    else:
        lines.append(f"    measure: {'milestone' if milestone else 'count'}")
        lines.append("    events: []   # TO DO: the activity types that count")
    if not milestone:
        lines.append(f"    target: {indicator.target}")
    lines += _pace_lines(previous, year, milestone)
    return lines


def _pace_lines(previous, year, milestone):
    if previous is None or (previous.measure == "milestone") != milestone:
        return [f"    pace: due\n    due: {year}-12-31"] if milestone else ["    pace: even"]
    if previous.pace == "due":
        due = previous.due
        shifted = _same_day(due, year)
        return ["    pace: due", f"    due: {shifted.isoformat()}"]
    if previous.pace == "quarterly":
        return ["    pace: quarterly", f"    quarters: {list(previous.quarters)}"]
    return ["    pace: even"]


def _same_day(day, year):
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _scalar(text):
    return yaml.safe_dump(text, allow_unicode=True, width=10_000).strip().removesuffix("\n...")
