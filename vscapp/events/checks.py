"""What an activity must satisfy, whoever records it: the web form, the CSV import and the demo
data all call these plain functions, so each problem reads the same on every path.

Each check returns a message (lazily translated) or None.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from vscapp import clock
from vscapp.privacy import case_ref_problem, personal_data_in

MAX_QUANTITY = 1000
MAX_PARTICIPANTS = 100000
MIN_YEAR = 2000


@dataclass
class EventValues:
    """An activity as typed, before it is stored: what the services take."""

    event_type: object  # EventType
    occurred_on: date
    quantity: int = 1
    participants: int | None = None
    note: str | None = None
    case_ref: str | None = None

    def fields(self):
        """The stored columns, with empty texts as None."""
        return {"occurred_on": self.occurred_on, "quantity": self.quantity,
                "participants": self.participants, "note": _text(self.note),
                "case_ref": _text(self.case_ref)}


def _text(value):
    return (value or "").strip() or None


def date_problem(day, today=None):
    if day > (today or clock.today()):
        return _l("An activity cannot be recorded in the future.")
    if day.year < MIN_YEAR:
        return _l("Give a date from 2000 on.")
    return None


def outside_plans_message(day, plan_years):
    """What the form says of a date whose year no plan covers: it asks to confirm the date."""
    return _l("No plan covers %(year)s (plans: %(years)s). Check the date, or confirm it "
              "below.", year=day.year, years=", ".join(str(y) for y in sorted(plan_years)))


def participants_problem(event_type, participants):
    """Participants are given exactly for the types that count them."""
    if event_type.needs_participants and participants is None:
        return _l("Give the number of participants of this activity.")
    if not event_type.needs_participants and participants is not None:
        return _l("This activity does not count participants: leave it empty.")
    return None


def problems(values, today=None):
    """{field name: message} of every check across fields that `values` fails.

    A missing type or date (unreadable, said elsewhere) skips the checks that need it.
    """
    found = {
        "occurred_on": values.occurred_on and date_problem(values.occurred_on, today),
        "participants": values.event_type and participants_problem(values.event_type,
                                                                   values.participants),
        "note": personal_data_in(values.note),
        "case_ref": case_ref_problem(values.case_ref),
    }
    return {name: message for name, message in found.items() if message}
