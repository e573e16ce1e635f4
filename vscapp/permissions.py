"""Who may do what: the one place that says it.

Routes use `permission_required(NAME)`, templates `can(NAME)` or `can(NAME, obj)`.
Social-prevention records (sector 1) are read in detail only by prevention staff;
the police liaison sees their counts, never their rows, and only by whole month
(`granularity`), so no figure gives away the date of a single record.
"""

from functools import wraps

from flask import abort
from flask_login import current_user

from vscapp.vocabulary import Granularity, Role

EVERYONE = frozenset(Role)
GRANTS = {
    "plan.view": EVERYONE,
    "plan.import": frozenset({Role.COORDINATOR}),
    "events.view": EVERYONE,
    "events.record": EVERYONE,
    "events.redact": frozenset({Role.COORDINATOR}),
    "event_types.manage": frozenset({Role.COORDINATOR}),
    "users.manage": frozenset({Role.COORDINATOR}),
    "audit.view": frozenset({Role.COORDINATOR}),
    "rules.manage": frozenset({Role.COORDINATOR}),
    "targets.view": EVERYONE,
    "alerts.view": EVERYONE,
    "alerts.acknowledge": frozenset({Role.COORDINATOR}),
    "report.view": frozenset({Role.COORDINATOR}),
    "report.comment": frozenset({Role.COORDINATOR}),
}


def has(user, permission):
    """Whether a signed-in, active user's role holds a named permission."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return Role(user.role) in GRANTS[permission]


def may_record(user, event_type):
    """Officers record sector 1, the liaison sector 2 and shared (police) types."""
    if not has(user, "events.record") or not event_type.active:
        return False
    role = Role(user.role)
    if role is Role.COORDINATOR:
        return True
    if role is Role.OFFICER:
        return event_type.sector == 1
    return event_type.sector == 2 or not event_type.social_prevention


def may_read(user, event_type):
    """Whether the details (date, note, case reference) of this type's events may be read."""
    if not has(user, "events.view"):
        return False
    role = Role(user.role)
    if role is Role.LIAISON:
        return not event_type.social_prevention
    if role is Role.OFFICER:
        return event_type.sector == 1
    return True


def may_see_indicator(user, code):
    """Officers follow sector 1 (the municipality's part); the others every indicator."""
    if not has(user, "targets.view"):
        return False
    return Role(user.role) is not Role.OFFICER or code.startswith("S1.")


def may_change(user, event):
    """Correcting or voiding an event takes the rights to read and to record its type, and it
    must be live."""
    return (event.live and may_read(user, event.event_type)
            and may_record(user, event.event_type))


def granularity(user, event_types):
    """How finely `user` sees figures that count these types: by day only if it may read the
    records of every one of them, else by whole month."""
    if all(may_read(user, t) for t in event_types):
        return Granularity.DAY
    return Granularity.MONTH


def may_redact(user, event):
    """Erasing a record's note and case reference (and their history) is the coordinator's."""
    return has(user, "events.redact") and may_read(user, event.event_type)


OBJECT_RULES = {
    "event_type.record": may_record,
    "event_type.read": may_read,
    "event.read": lambda user, event: may_read(user, event.event_type),
    "event.change": may_change,
    "event.redact": may_redact,
}


def can(permission, obj=None, user=None):
    """Template and code helper: a named permission, or an object rule when `obj` is given."""
    user = current_user if user is None else user
    if obj is not None:
        return OBJECT_RULES[permission](user, obj)
    return has(user, permission)


def permission_required(permission):
    """Route decorator: anonymous visitors go to sign-in, others without the grant get 403."""
    if permission not in GRANTS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                from vscapp.extensions import login_manager

                return login_manager.unauthorized()
            if not has(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        guarded.permission = permission
        return guarded

    return decorate


def signed_in(view):
    """Route decorator for pages every signed-in user may open (sign-out, own settings)."""
    from flask_login import login_required

    guarded = login_required(view)
    guarded.permission = "signed_in"
    return guarded


def public(view):
    """Route decorator that says, on purpose, that no sign-in is needed (sign-in page)."""
    view.permission = "public"
    return view


def require(allowed):
    """Abort with 403 unless an object rule allowed the action."""
    if not allowed:
        abort(403)


def require_readable(allowed):
    """Abort with 404 unless the reader may read the record: a record it may not read and a
    missing one answer alike, so ids cannot be probed."""
    if not allowed:
        abort(404)
