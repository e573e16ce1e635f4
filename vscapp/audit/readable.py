"""The audit trail as one reader may read it: who, what in words, a link to the object where
the reader may open it, and the values a change replaced.

Permissions decide (vscapp.permissions): an entry about an activity shows its values only if
the reader may read records of the type the activity had then (events.history), and links to
it only if the reader may open it now; other objects link to pages the reader may open.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vscapp import permissions
from vscapp.audit.services import REDACTED
from vscapp.audit.words import ACTIONS, FIELDS
from vscapp.events.history import ERASED, VALUE, Shown, readable_line
from vscapp.events.models import Event, EventType
from vscapp.extensions import db
from vscapp.i18n import current_language
from vscapp.vocabulary import DELIVERY_LABELS, LANGUAGE_NAMES, ROLE_LABELS


@dataclass
class Change:
    field: str  # its name in words
    before: Shown | None  # None: the entry has no "before" (a creation)
    after: Shown | None


@dataclass
class Item:
    """One audit entry in words; `hidden`: the reader may see nothing of it but that it exists."""

    entry: object  # AuditEntry
    who: str
    what: str
    link: str | None = None
    hidden: bool = False
    reason: Shown | None = None
    changes: list[Change] = field(default_factory=list)


def items(entries, reader):
    """The entries in words, as `reader` may see them."""
    objects = _load(entries)
    types = {t.code: t for t in db.session.scalars(select(EventType))} if any(
        e.entity_type == "Event" for e in entries) else {}
    return [_item(e, objects.get((e.entity_type, e.entity_id)), reader, types) for e in entries]


def who(label):
    """An actor as people say it: the account's address, the CLI's user, or a visitor."""
    if label.startswith("cli:"):
        return gettext("%(user)s on the command line", user=label[4:])
    if label.startswith("web:"):
        return gettext("a visitor who was not signed in")
    return label


def _item(entry, obj, reader, types):
    what, link = _what(entry, obj), _link(entry, obj, reader)
    if entry.entity_type != "Event":
        reason = Shown(entry.reason) if entry.reason else None
        return Item(entry, who(entry.actor_label), what, link, reason=reason,
                    changes=_changes(entry))
    line = readable_line(entry, reader, types)
    unreadable_now = obj is None or not permissions.can("event.read", obj, user=reader)
    if line.hidden or (entry.before is None and entry.after is None and unreadable_now):
        return Item(entry, who(entry.actor_label), what, hidden=True)
    # A correction: each side shown as the reader may read the record's type then.
    changes = [Change(_field_name(c.field), _worded(c.field, c.before),
                      _worded(c.field, c.after)) for c in line.changes] \
        if entry.before and entry.after else _changes(entry)
    return Item(entry, who(entry.actor_label), what, link, reason=line.reason, changes=changes)


def _what(entry, obj):
    words = ACTIONS.get(entry.action)
    label = _object_label(entry, obj)
    if words is None:
        return f"{entry.action} {label}"
    return gettext(words[1], object=label)


def _object_label(entry, obj):
    kind, key = entry.entity_type, entry.entity_id
    if kind == "Event":
        return gettext("activity #%(id)s", id=key)
    if kind == "EventList":
        return key.upper()  # the file's kind: CSV, XLSX
    if obj is None:
        return f"{kind} {key}" if kind != "Database" else key
    if kind == "User":
        return obj.email
    if kind == "EventType":
        return obj.name(current_language())
    if kind == "Plan":
        return gettext("the plan of %(year)s", year=obj.year)
    if kind == "RulesVersion":
        return gettext("rules version %(number)s of %(year)s", number=obj.number, year=obj.year)
    if kind == "IndicatorComment":
        return gettext("the comment on %(code)s in the report of %(year)s", code=obj.code,
                       year=obj.year)
    if kind == "Alert":
        return gettext("the alert on %(code)s", code=obj.code)
    return f"{kind} {key}"


def _link(entry, obj, reader):
    """Where the reader may open the object, or None."""
    kind, has = entry.entity_type, (lambda name: permissions.has(reader, name))
    if obj is None:
        return None
    if kind == "Event":
        return url_for("events.show", event_id=obj.id) if permissions.can(
            "event.read", obj, user=reader) else None
    links = {
        "User": ("users.manage", lambda: url_for("users.edit", user_id=obj.id)),
        "EventType": ("event_types.manage", lambda: url_for("events.edit_type", type_id=obj.id)),
        "Plan": ("plan.view", lambda: url_for("plans.show", year=obj.year)),
        "RulesVersion": ("rules.manage", lambda: url_for(
            "targets.rules_version", year=obj.year, version_id=obj.id)),
        "IndicatorComment": ("report.view", lambda: url_for(
            "report.show", year=obj.year, _anchor=obj.code)),
        "Alert": ("alerts.view", lambda: url_for("alerts.index", _anchor=f"alert-{obj.id}")),
    }
    permission, build = links.get(kind, (None, None))
    return build() if permission and has(permission) else None


def _changes(entry):
    """The fields a change touched, with their values before and after; for a creation or a
    voiding, the values it had."""
    before, after = entry.before or {}, entry.after or {}
    if entry.before is not None and entry.after is not None:
        keys = [key for key, value in after.items() if before.get(key) != value]
    else:
        keys = list(after or before)
    return [Change(_field_name(key),
                   _shown(key, before.get(key)) if entry.before is not None else None,
                   _shown(key, after.get(key)) if entry.after is not None else None)
            for key in keys]


def _field_name(key):
    return gettext(FIELDS[key]) if key in FIELDS else key


def _shown(key, value):
    return Shown(kind=ERASED) if value == REDACTED else Shown(_words(key, value))


def _worded(key, shown):
    return Shown(_words(key, shown.value)) if shown.kind == VALUE else shown


def _words(key, value):
    """A stored value as a reader reads it: yes/no, a role or language by name, a date."""
    from vscapp.templating import format_day

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key == "role" and value in ROLE_LABELS:
        return gettext(ROLE_LABELS[value])
    if key == "language" and value in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[value]
    if key == "alert_delivery" and value in DELIVERY_LABELS:
        return gettext(DELIVERY_LABELS[value])
    if key in ("occurred_on", "date_from", "date_to"):
        return format_day(date.fromisoformat(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _load(entries):
    """{(entity type, entity id): object} for the entries' objects, one query per kind."""
    from vscapp.alerts.models import Alert
    from vscapp.plans.models import Plan
    from vscapp.report.models import IndicatorComment
    from vscapp.targets.models import RulesVersion
    from vscapp.users.models import User

    models = {"Event": Event, "EventType": EventType, "User": User, "Plan": Plan,
              "RulesVersion": RulesVersion, "IndicatorComment": IndicatorComment,
              "Alert": Alert}
    ids = defaultdict(set)
    for entry in entries:
        if entry.entity_type in models and entry.entity_id.isdigit():
            ids[entry.entity_type].add(int(entry.entity_id))
    found = {}
    for kind, keys in ids.items():
        model = models[kind]
        stmt = select(model).where(model.id.in_(keys))
        if model is Event:
            stmt = stmt.options(joinedload(Event.event_type))
        found.update(((kind, str(obj.id)), obj) for obj in db.session.scalars(stmt))
    return found
