"""Small builders for rows the tests need."""

from datetime import date

from sqlalchemy import select

from vscapp.events.models import Event, EventType
from vscapp.extensions import db


def event_type(code):
    return db.session.scalar(select(EventType).where(EventType.code == code))


def make_event(code, user, on=None, quantity=1, participants=None, note=None, case_ref=None):
    """An event stored directly (no form), for tests that need existing records."""
    event = Event(event_type=event_type(code), occurred_on=on or date(2023, 3, 1),
                  quantity=quantity, participants=participants, note=note, case_ref=case_ref,
                  created_by_id=user.id)
    db.session.add(event)
    db.session.commit()
    return event
