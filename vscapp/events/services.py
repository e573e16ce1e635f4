"""Verbs on events and event types; each records its audit entry in the same transaction."""

from datetime import date

from sqlalchemy import func, select

from vscapp import permissions
from vscapp.audit import services as audit
from vscapp.events.models import Event, EventType
from vscapp.extensions import db
from vscapp.models import utcnow

EVENT_FIELDS = ("occurred_on", "quantity", "participants", "note", "case_ref")
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


def _values_from(form):
    values = {name: getattr(form, name).data for name in EVENT_FIELDS}
    values["note"] = (values["note"] or "").strip() or None
    values["case_ref"] = (values["case_ref"] or "").strip() or None
    return values


def create_event(form, user):
    """A new event from a validated EventForm, recorded by `user`."""
    return record_event(form.chosen_type, user, **_values_from(form))


def record_event(event_type, user, **values):
    """Store an event of `event_type` recorded by `user`, with its audit entry."""
    event = Event(event_type=event_type, created_by_id=user.id, **values)
    db.session.add(event)
    db.session.flush()
    audit.record("event.create", event, after=audit.snapshot(event, Event.AUDITED), actor=user)
    return event


def update_event(event, form, user):
    """Correct an event; the audit entry keeps what it said before."""
    before = audit.snapshot(event, Event.AUDITED)
    event.event_type = form.chosen_type
    for name, value in _values_from(form).items():
        setattr(event, name, value)
    after = audit.snapshot(event, Event.AUDITED)
    if after == before:
        return False
    event.updated_by_id, event.updated_at = user.id, utcnow()
    audit.record("event.update", event, before=before, after=after, actor=user)
    return True


def void_event(event, reason, user):
    """Void an event: its row stays, with who voided it, when and why."""
    event.voided_at, event.voided_by_id, event.void_reason = utcnow(), user.id, reason
    audit.record("event.void", event, before=audit.snapshot(event, Event.AUDITED),
                 reason=reason, actor=user)


def events_query(types, filters=None):
    """Events of the given types, newest first, narrowed by an EventFilterForm's data."""
    filters = filters or {}
    stmt = (select(Event).where(Event.type_id.in_([t.id for t in types]))
            .order_by(Event.occurred_on.desc(), Event.id.desc()))
    if filters.get("event_type"):
        stmt = stmt.join(EventType).where(EventType.code == filters["event_type"])
    if filters.get("date_from"):
        stmt = stmt.where(Event.occurred_on >= filters["date_from"])
    if filters.get("date_to"):
        stmt = stmt.where(Event.occurred_on <= filters["date_to"])
    if not filters.get("show_voided"):
        stmt = stmt.where(Event.voided_at.is_(None))
    return stmt


def counts_by_type(year):
    """Live events per type in a year: (type, quantity, participants). Aggregates only."""
    stmt = (
        select(EventType, func.coalesce(func.sum(Event.quantity), 0),
               func.coalesce(func.sum(Event.participants), 0))
        .outerjoin(Event, (Event.type_id == EventType.id) & Event.voided_at.is_(None)
                   & Event.occurred_on.between(date(year, 1, 1), date(year, 12, 31)))
        .group_by(EventType.id)
        .order_by(EventType.sector, EventType.name_nl)
    )
    return db.session.execute(stmt).all()


def save_event_type(event_type, form, user):
    """Create or rename an event type from a validated EventTypeForm."""
    is_new = event_type.id is None
    before = None if is_new else audit.snapshot(event_type, TYPE_FIELDS)
    form.populate_obj(event_type)
    db.session.add(event_type)
    db.session.flush()
    audit.record("event_type.create" if is_new else "event_type.update", event_type,
                 before=before, after=audit.snapshot(event_type, TYPE_FIELDS), actor=user)
    return event_type


def type_by_code(code):
    return db.session.scalar(select(EventType).where(EventType.code == code))
