"""What the dashboard says of each indicator, in the reader's language.

Worded here once per page rather than in the template once per card: a translation, a
formatted number or a link costs two to three times as much from Jinja as from Python, and
a plan of 200 indicators has 200 cards (and as many lines under "Needs attention first").
"""

from dataclasses import dataclass

from flask import url_for
from flask_babel import format_decimal, gettext

from vscapp.i18n import current_language, text_in
from vscapp.templating import explain, format_day
from vscapp.vocabulary import STATUS_LABELS


@dataclass
class Card:
    row: object  # progress.Row: the indicator, its result, its strategic objective
    href: str
    text: str
    status_word: str
    numbers: str  # under the bar
    bar_label: str  # what the bar shows, for screen readers

    @property
    def status(self):
        return self.row.result.status

    @property
    def explanation(self):
        """Where it stands and what is still needed (only the attention list says it)."""
        return explain(self.row.result)


def cards(rows, year, as_of):
    """A Card per dashboard row, in the rows' order."""
    words = Words()
    return [_card(row, year, as_of, words) for row in rows]


class Words:
    """The page's phrases, each translated once; flask_babel.gettext without values returns the
    translated pattern, which each card then fills in."""

    def __init__(self):
        self.lang = current_language()
        self.status = {status: gettext(label) for status, label in STATUS_LABELS.items()}
        self.reached = gettext("reached")
        self.due = gettext("not reached yet; due %(date)s")
        self.of_target = gettext("%(value)s of %(target)s")
        self.expected = gettext("%(expected)s expected by now")
        self.bar = gettext("%(value)s of %(target)s; %(expected)s expected by now")


def _card(row, year, as_of, words):
    result = row.result
    expected = format_decimal(result.expected)
    numbers = {"value": result.value, "target": result.target, "expected": expected}
    if result.measure == "milestone":
        under_bar = words.reached if result.value else words.due % {
            "date": format_day(result.due)}
    else:
        under_bar = words.of_target % numbers + " · " + words.expected % numbers
    return Card(row, url_for("targets.indicator", year=year, code=row.indicator.code,
                             as_of=as_of.isoformat()),
                text_in(row.indicator, "text", words.lang), words.status[result.status],
                under_bar, words.bar % numbers)
