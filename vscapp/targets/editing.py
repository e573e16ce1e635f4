"""A year's rules as the targets form edits them, and the rules file written from it.

The YAML file stays the stored truth: a form is filled from a (validated) file, and saving the
form writes a new file that goes through the same validator as an upload. No Flask here.
"""

from dataclasses import dataclass, field, replace
from datetime import date

import yaml

from vscapp.engine.rulesfile import DEFAULT_BANDS, load_yaml
from vscapp.vocabulary import ALERT_STATUSES

STATUSES = tuple(s.value for s in ALERT_STATUSES)

DEFAULT = (DEFAULT_BANDS["on_track"], DEFAULT_BANDS["at_risk"])


@dataclass
class IndicatorTargets:
    """One indicator's entry; `bands` and `alerts` None when the year's apply."""

    code: str
    measure: str | None = None  # None: still to set
    field: str | None = None
    events: tuple[str, ...] = ()
    target: int | None = None
    pace: str = "even"
    due: date | None = None
    quarters: tuple[float, ...] | None = None
    bands: tuple[float, float] | None = None
    alerts: dict | None = None  # {status: (recipient, ...)}
    note: str | None = None
    to_set: bool = False  # new this year: nothing carried over

    @property
    def how(self):
        """The measure as the form offers it: count, sum:participants, sum:quantity, milestone."""
        return f"sum:{self.field}" if self.measure == "sum" else self.measure


@dataclass
class YearTargets:
    year: int
    decree: str = ""
    start: date | None = None
    end: date | None = None
    bands: tuple[float, float] = DEFAULT
    alerts: dict = field(default_factory=dict)
    indicators: list[IndicatorTargets] = field(default_factory=list)

    def indicator(self, code):
        return next((i for i in self.indicators if i.code == code), None)


def from_text(text):
    """The YearTargets of a valid rules file (defaults written out: what the engine applies)."""
    doc = load_yaml(text)
    period = doc["period"]
    targets = YearTargets(doc["year"], doc["decree"].strip(), period["start"], period["end"],
                          _bands(doc.get("bands")) or DEFAULT, _alerts(doc.get("alerts")) or {})
    for code, spec in doc["indicators"].items():
        targets.indicators.append(_indicator(code, spec, targets.end))
    return targets


def _indicator(code, spec, end):
    measure = spec["measure"]
    pace = spec.get("pace", "due" if measure == "milestone" else "even")
    events = spec["events"]
    return IndicatorTargets(
        code, measure, spec.get("field"), tuple([events] if isinstance(events, str) else events),
        None if measure == "milestone" else spec["target"], pace,
        spec.get("due", end) if pace == "due" else None,
        tuple(round(float(q), 4) for q in spec["quarters"]) if pace == "quarterly" else None,
        _bands(spec.get("bands")), _alerts(spec.get("alerts")), spec.get("note"))


def _bands(bands):
    if bands is None:
        return None
    return (round(float(bands["on_track"]), 4), round(float(bands["at_risk"]), 4))


def _alerts(alerts):
    if alerts is None:
        return None
    return {s: tuple(str(r) for r in alerts[s]) for s in STATUSES if s in alerts}


class _Dumper(yaml.SafeDumper):
    """Never anchors and aliases: the loader refuses them."""

    def ignore_aliases(self, data):
        return True


def _dump(data):
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=None, width=10_000)


def _share(value):
    return int(value) if float(value).is_integer() else value


def to_yaml(targets, texts=None, header=()):
    """The rules file of `targets`; `texts` {code: indicator text} become comments."""
    texts = texts or {}
    top = {"year": targets.year, "decree": targets.decree,
           "period": {"start": targets.start, "end": targets.end},
           "bands": _bands_data(targets.bands)}
    if targets.alerts:
        top["alerts"] = _alerts_data(targets.alerts)
    lines = [f"# {' '.join(line.split())}" for line in header]
    lines += [_dump(top).rstrip("\n"), "", "indicators:"]
    for indicator in targets.indicators:
        if text := texts.get(indicator.code):
            lines.append(f"  # {' '.join(text.split())}")
        block = _dump({indicator.code: _indicator_data(indicator)})
        lines += ["  " + line for line in block.rstrip("\n").splitlines()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _bands_data(bands):
    return {"on_track": _share(bands[0]), "at_risk": _share(bands[1])}


def _alerts_data(alerts):
    return {status: list(alerts[status]) for status in STATUSES if status in alerts}


def _indicator_data(indicator):
    data = {"measure": indicator.measure, "events": list(indicator.events)}
    if indicator.measure == "sum":
        data["field"] = indicator.field
    if indicator.measure != "milestone":
        data["target"] = indicator.target
    data["pace"] = indicator.pace
    if indicator.pace == "due":
        data["due"] = indicator.due
    if indicator.pace == "quarterly":
        data["quarters"] = [_share(q) for q in indicator.quarters]
    if indicator.bands is not None:
        data["bands"] = _bands_data(indicator.bands)
    if indicator.alerts is not None:
        data["alerts"] = _alerts_data(indicator.alerts)
    if indicator.note:
        data["note"] = indicator.note
    return data


@dataclass(frozen=True)
class Change:
    """One field of one indicator (code None: the whole year) from `old` to `new`."""

    code: str | None
    key: str  # a YearTargets or IndicatorTargets attribute, or "added"/"removed"
    old: object
    new: object


YEAR_KEYS = ("decree", "start", "end", "bands", "alerts")
INDICATOR_KEYS = ("how", "events", "target", "pace", "due", "quarters", "bands", "alerts",
                  "note")


def differences(old, new):
    """What changes from `old` to `new` (YearTargets; `old` may be None), field by field."""
    if old is None:
        return [Change(i.code, "added", None, i) for i in new.indicators]
    changes = [Change(None, key, getattr(old, key), getattr(new, key))
               for key in YEAR_KEYS if getattr(old, key) != getattr(new, key)]
    for indicator in new.indicators:
        before = old.indicator(indicator.code)
        if before is None:
            changes.append(Change(indicator.code, "added", None, indicator))
            continue
        changes += [Change(indicator.code, key, getattr(before, key), getattr(indicator, key))
                    for key in INDICATOR_KEYS
                    if getattr(before, key) != getattr(indicator, key)]
    changes += [Change(i.code, "removed", i, None) for i in old.indicators
                if new.indicator(i.code) is None]
    return changes


def carried_over(previous, code, milestone, target, year):
    """An indicator of `year` started from last year's entry for the same code, or to set."""
    if previous is None or (previous.measure == "milestone") != milestone:
        return IndicatorTargets(code, "milestone" if milestone else None,
                                target=None if milestone else target,
                                pace="due" if milestone else "even",
                                due=date(year, 12, 31) if milestone else None, to_set=True)
    due = _same_day(previous.due, year) if previous.due else None
    return replace(previous, target=None if milestone else (target or previous.target), due=due)


def _same_day(day, year):
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)
