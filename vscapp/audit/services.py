"""Recording audit entries in the same transaction as the change they describe."""

import getpass
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select

from vscapp.audit.models import AuditEntry
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
