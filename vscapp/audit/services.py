"""Recording audit entries in the same transaction as the change they describe."""

import getpass
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select

from vscapp.audit.models import AuditEntry
from vscapp.clock import zone
from vscapp.extensions import db

# What an erased value reads in the trail after a redaction (the history shows it translated).
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Visitor:
    """Someone acting without an account, named in the trail by `email` (a label)."""

    email: str
    id: None = None


# who asks for a password link on the forgot-password form: anyone
ANONYMOUS_VISITOR = Visitor("web:anonymous")


def snapshot(obj, fields):
    """A JSON-safe dict of the named attributes, for the before/after of an entry."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def _jsonable(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def record(action, entity, *, before=None, after=None, reason=None, actor=None):
    """Add an audit entry to the session; the caller's commit makes it permanent."""
    actor = actor or _current_actor()
    # current_user is a proxy: the trail names the account, not the proxy's class
    entity = getattr(entity, "_get_current_object", lambda: entity)()
    actor = getattr(actor, "_get_current_object", lambda: actor)()
    if entity.id is None:
        db.session.flush()
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_label=actor_label(actor),
        action=action,
        entity_type=type(entity).__name__,
        entity_id=str(entity.id),
        before=before,
        after=after,
        reason=reason,
    )
    db.session.add(entry)
    return entry


def actor_label(actor):
    """How an actor is named in the trail: the account's e-mail, or the OS user of the CLI."""
    return getattr(actor, "email", None) or f"cli:{_os_user()}"


def _current_actor():
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _os_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def redact(entity, fields):
    """Replace the values of `fields` in every before/after snapshot about `entity`."""
    for entry in history(entity):
        entry.before = _erased(entry.before, fields)
        entry.after = _erased(entry.after, fields)


def _erased(snapshot, fields):
    if not snapshot:
        return snapshot
    return {key: REDACTED if key in fields and value is not None else value
            for key, value in snapshot.items()}


def record_read(entity, actor):
    """One cheap insert: who opened which record's details, and when."""
    db.session.add(AuditEntry(actor_id=actor.id, actor_label=actor_label(actor),
                              action=f"{type(entity).__name__.lower()}.read",
                              entity_type=type(entity).__name__, entity_id=str(entity.id)))


def history(entity):
    """The entries about one object, oldest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == type(entity).__name__)
        .where(AuditEntry.entity_id == str(entity.id))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return db.session.scalars(stmt).all()


def entries(reads=False, action=None, actor=None, entity_type=None, entity_id=None,
            date_from=None, date_to=None):
    """The trail's entries, latest first: the reads of records or the changes, narrowed to a
    kind of action, a person, an object and days (local days, from and to included)."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    stmt = stmt.where(AuditEntry.action.endswith(".read") if reads
                      else AuditEntry.action.not_like("%.read"))
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if actor:
        stmt = stmt.where(AuditEntry.actor_label == actor)
    if entity_type:
        stmt = stmt.where(AuditEntry.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    if date_from:
        stmt = stmt.where(AuditEntry.at >= _local_midnight(date_from))
    if date_to:
        stmt = stmt.where(AuditEntry.at < _local_midnight(date_to, days=1))
    return stmt


def _local_midnight(day, days=0):
    """The start of a day where the municipality is, in UTC (stored times are UTC)."""
    start = datetime.combine(day + timedelta(days=days), time.min, tzinfo=zone())
    return start.astimezone(UTC)


def actor_labels():
    """Everyone named in the trail, for the filter."""
    return db.session.scalars(select(AuditEntry.actor_label).distinct()
                              .order_by(AuditEntry.actor_label)).all()
