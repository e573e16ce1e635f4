"""Verbs on events and event types; each records its audit entry in the same transaction."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import extract, func, select

from vscapp import clock, data_version, months, permissions
from vscapp.audit import services as audit
from vscapp.engine.evaluate import Totals
from vscapp.events import daily_totals, text_search
from vscapp.events.models import DailyTotal, Event, EventType
from vscapp.extensions import db
from vscapp.models import utcnow
from vscapp.vocabulary import Granularity

TYPE_FIELDS = ("code", "name_nl", "name_fr", "sector", "social_prevention", "needs_participants",
               "active")


def active_types():
    return db.session.scalars(select(EventType).where(EventType.active)
                              .order_by(EventType.sector, EventType.name_nl)).all()


def all_types():
    return db.session.scalars(select(EventType).order_by(EventType.sector,
                                                         EventType.name_nl)).all()


def recordable_types(user):
    return [t for t in active_types() if permissions.may_record(user, t)]


def readable_types(user):
    return [t for t in all_types() if permissions.may_read(user, t)]


MOST_USED = 5


def most_used_codes(user, days=365):
    """The codes of the types `user` recorded most over the last `days` days, most used first
    (at most MOST_USED): what the activity picker offers first."""
    since = clock.today() - timedelta(days=days)
    uses = func.count(Event.id)
    return db.session.scalars(
        select(EventType.code).join(Event.event_type)
        .where(Event.created_by_id == user.id, Event.occurred_on >= since, Event.live)
        .group_by(EventType.code).order_by(uses.desc(), EventType.code).limit(MOST_USED)).all()


def record_event(values, user):
    """Store an activity (checked EventValues) recorded by `user`, with its audit entry."""
    return record_events([values], user)[0]


def record_events(checked, user):
    """Store activities (checked EventValues) recorded by `user`, each with its audit entry;
    the daily totals move once per (type, day) however many there are."""
    data_version.bump()
    events = [Event(event_type=values.event_type, created_by_id=user.id, **values.fields())
              for values in checked]
    db.session.add_all(events)
    db.session.flush()
    for event in events:
        audit.record("event.create", event, after=audit.snapshot(event, Event.AUDITED),
                     actor=user)
    daily_totals.count_in(events)
    return events


def update_event(event, values, user):
    """Correct an event; the audit entry keeps what it said before. Whether anything changed.
    A new type or date moves its amounts from one daily total to the other."""
    with daily_totals.recounted(event):
        before = audit.snapshot(event, Event.AUDITED)
        event.event_type = values.event_type
        for name, value in values.fields().items():
            setattr(event, name, value)
        after = audit.snapshot(event, Event.AUDITED)
        if after == before:
            return False
        event.updated_by_id, event.updated_at = user.id, utcnow()
        audit.record("event.update", event, before=before, after=after, actor=user)
    return True


def void_event(event, reason, user):
    """Void an event: its row stays, with who voided it, when and why; it counts no more."""
    with daily_totals.recounted(event):
        event.voided_at, event.voided_by_id, event.void_reason = utcnow(), user.id, reason
    audit.record("event.void", event, before=audit.snapshot(event, Event.AUDITED),
                 reason=reason, actor=user)


REDACTABLE = ("note", "case_ref")


def redact_event(event, fields, reason, user):
    """Erase the chosen fields (note, case reference) of an event, now and in every audit entry
    about it. The redaction is audited: who, when, why and which fields, never the erased text."""
    fields = [name for name in REDACTABLE if name in fields]
    reason = (reason or "").strip()
    if not fields or not reason:
        raise ValueError("a redaction needs at least one field and a reason")
    # Only texts are erased, no number: the daily totals stay as they are. (A verb that ever
    # changed the type, date or amounts would run inside daily_totals.recounted(event).)
    for name in fields:
        setattr(event, name, None)
    db.session.flush()
    text_search.forget_erased()
    audit.redact(event, fields)
    audit.record("event.redact", event, reason=reason, actor=user,
                 after={"fields": fields, "event_type_code": event.event_type_code})


def record_read(event, user):
    """Opening a social-prevention record's details leaves a read entry in the trail."""
    if event.event_type.social_prevention:
        audit.record_read(event, user)


def totals_by_type(start, end, codes=None):
    """{type code: Totals} of the live events between two dates, optionally of some types only.

    The one aggregate behind evaluation, the dashboard, the activity counts, the indicator page
    and the report; it sums the daily totals (a few rows per type and day), never the events.
    """
    rows = db.session.execute(totals_query(start, end, codes))
    return {code: Totals(int(q), int(p)) for code, q, p in rows}


def totals_query(start, end, codes=None):
    stmt = (select(EventType.code, func.coalesce(func.sum(DailyTotal.quantity), 0),
                   func.coalesce(func.sum(DailyTotal.participants), 0))
            .join(DailyTotal, DailyTotal.type_id == EventType.id)
            .where(DailyTotal.day.between(start, end))
            .group_by(EventType.code))
    return stmt if codes is None else stmt.where(EventType.code.in_(codes))


def amounts_by_day(codes, field, start, end):
    """{day: amount} of the live events of some types between two dates, per day; `field` is
    "quantity" or "participants"."""
    amount = getattr(DailyTotal, field)
    stmt = (select(DailyTotal.day, func.sum(amount)).join(EventType)
            .where(EventType.code.in_(codes), DailyTotal.day.between(start, end))
            .group_by(DailyTotal.day).order_by(DailyTotal.day))
    return {day: int(total) for day, total in db.session.execute(stmt)}


def months_with_events(start, end):
    """{type code: the months (numbers) in which it has live events} between two dates."""
    months = {}
    for code, month in db.session.execute(
            select(EventType.code, extract("month", DailyTotal.day)).join(DailyTotal)
            .where(DailyTotal.events > 0, DailyTotal.day.between(start, end)).distinct()):
        months.setdefault(code, set()).add(int(month))
    return months


@dataclass
class Counts:
    rows: list  # (type, quantity, participants)
    month_as_of: date | None  # the cut-off of the types counted by month, if any


def counts_by_type(year, reader, on=None):
    """Every type with its live totals in a year; the types `reader` may not read are counted
    by whole month, up to the month cut-off of today (or of `on`)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    types = all_types()
    totals = totals_by_type(start, end)
    by_month = [t.code for t in types
                if permissions.granularity(reader, [t]) is Granularity.MONTH]
    cut = months.cutoff(min(on or clock.today(), end)) if by_month else None
    if by_month:
        totals = {code: v for code, v in totals.items() if code not in by_month}
        totals |= totals_by_type(start, cut, by_month)
    return Counts([(t, totals.get(t.code, Totals()).quantity,
                    totals.get(t.code, Totals()).participants) for t in types], cut)


def save_event_type(event_type, values, user):
    """Create an activity type, or rename or change one, from a dict of TYPE_FIELDS values."""
    is_new = event_type.id is None
    data_version.bump()  # rules count types by code: no cached evaluation outlives a change
    before = None if is_new else audit.snapshot(event_type, TYPE_FIELDS)
    for name in TYPE_FIELDS:
        setattr(event_type, name, values[name])
    db.session.add(event_type)
    db.session.flush()
    audit.record("event_type.create" if is_new else "event_type.update", event_type,
                 before=before, after=audit.snapshot(event_type, TYPE_FIELDS), actor=user)
    return event_type


def type_by_code(code):
    return db.session.scalar(select(EventType).where(EventType.code == code))
