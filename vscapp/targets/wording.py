"""The comparison of two rules versions in words: per indicator, each field old → new."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from vscapp.i18n import localized
from vscapp.templating import format_day
from vscapp.vocabulary import MEASURE_LABELS, PACE_LABELS, ROLE_LABELS

FIELD_LABELS = {
    "decree": _l("decree"),
    "start": _l("period start"),
    "end": _l("period end"),
    "how": _l("what is measured"),
    "events": _l("activity types"),
    "target": _l("target"),
    "pace": _l("pace"),
    "due": _l("due date"),
    "quarters": _l("shares per quarter"),
    "bands": _l("bands"),
    "alerts": _l("who is alerted"),
    "note": _l("note"),
}


@dataclass
class ChangedIndicator:
    code: str | None  # None: the whole year
    name: str
    lines: list  # (field label, old words, new words), or (label, None, None) for added/removed


def in_words(changes, indicators, event_types):
    """Group `changes` (editing.Change) per indicator, with the indicator's name and words."""
    groups = {}
    for change in changes:
        group = groups.get(change.code)
        if group is None:
            indicator = indicators.get(change.code)
            name = (localized(indicator, "text") if indicator else "") or change.code or ""
            group = groups[change.code] = ChangedIndicator(
                change.code, name if change.code else _("The whole year"), [])
        if change.key in ("added", "removed"):
            label = _("new in these rules") if change.key == "added" else _(
                "no longer in these rules")
            group.lines.append((label, None, None))
        else:
            group.lines.append((FIELD_LABELS[change.key],
                                value_words(change.key, change.old, event_types),
                                value_words(change.key, change.new, event_types)))
    return list(groups.values())


def value_words(key, value, event_types):
    """One field's value as a reader says it."""
    if key in ("bands", "alerts") and value is None:
        return _("as for the whole year")
    if value is None or value == "":
        return "—"
    words = {
        "how": lambda: _(MEASURE_LABELS.get(value, value)),
        "pace": lambda: _(PACE_LABELS.get(value, value)),
        "events": lambda: ", ".join(event_types.get(code, code) for code in value) or "—",
        "start": lambda: format_day(value),
        "end": lambda: format_day(value),
        "due": lambda: format_day(value),
        "quarters": lambda: " · ".join(percent(q) for q in value),
        "bands": lambda: _("on track from %(on_track)s, at risk from %(at_risk)s",
                           on_track=percent(value[0]), at_risk=percent(value[1])),
        "alerts": lambda: alerts_words(value),
    }.get(key)
    return words() if words else str(value)


def percent(share):
    return f"{share * 100:.2f}".rstrip("0").rstrip(".") + " %"


def alerts_words(alerts):
    if not alerts:
        return _("nobody")
    parts = []
    for status, label in (("at_risk", _("at risk")), ("off_target", _("off target"))):
        if recipients := alerts.get(status):
            names = [_(ROLE_LABELS[r]) if r in ROLE_LABELS else r for r in recipients]
            parts.append(f"{label}: {', '.join(names)}")
    return "; ".join(parts)
