"""An event's history as one reader may see it: each value only if the reader may read the
record under the type it had then (the type in that entry's before/after snapshot)."""

from dataclasses import dataclass, field

from vscapp import permissions
from vscapp.audit.services import REDACTED, history
from vscapp.events.models import EventType
from vscapp.extensions import db

VALUE, HIDDEN, ERASED = "value", "hidden", "redacted"


@dataclass
class Shown:
    """A value as shown: itself, hidden from this reader, or erased by a redaction."""

    value: object = None
    kind: str = VALUE


@dataclass
class Change:
    field: str
    before: Shown
    after: Shown


@dataclass
class Line:
    """One audit entry as this reader sees it; `hidden`: nothing of it may be shown, not even
    when it happened (the record then had a type the reader may not read)."""

    entry: object  # AuditEntry
    hidden: bool = False
    reason: Shown | None = None
    changes: list[Change] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)  # a redaction's fields


def readable_history(event, reader):
    """The changes of `event` (reads left out), oldest first, as `reader` may see them."""
    types = {t.code: t for t in db.session.scalars(db.select(EventType))}
    return [readable_line(e, reader, types) for e in history(event) if e.action != "event.read"]


def readable_line(entry, reader, types):
    """One audit entry about an event as `reader` may see it; `types`: {code: EventType}.
    The audit trail shows its entries about events through this too."""

    def readable(snapshot):
        if snapshot is None:
            return None
        kind = types.get(snapshot.get("event_type_code"))
        return kind is not None and permissions.may_read(reader, kind)

    return _line(entry, readable(entry.before), readable(entry.after))


def _line(entry, before_ok, after_ok):
    """Snapshots that are absent (None) do not count; every present one must be readable for
    the reason to show, and at least one for the entry to show at all."""
    present = [ok for ok in (before_ok, after_ok) if ok is not None]
    if present and not any(present):
        return Line(entry, hidden=True)
    reason = _shown(entry.reason, all(present)) if entry.reason else None
    changes = []
    if entry.before and entry.after:
        changes = [Change(key, _shown(entry.before.get(key), before_ok), _shown(value, after_ok))
                   for key, value in entry.after.items() if entry.before.get(key) != value]
    erased = (entry.after or {}).get("fields", []) if entry.action == "event.redact" else []
    return Line(entry, reason=reason, changes=changes, erased=erased)


def _shown(value, readable):
    if not readable:
        return Shown(kind=HIDDEN)
    return Shown(kind=ERASED) if value == REDACTED else Shown(value)
