"""Accounts: authentication and the verbs that change them (audited, never deleted)."""

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from vscapp.audit import services as audit
from vscapp.auth.models import SignInFailure, User
from vscapp.extensions import db
from vscapp.models import utcnow

USER_FIELDS = ("email", "role", "language", "active", "alert_delivery")
MIN_PASSWORD_LENGTH = 10
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def load_user(user_id):
    user = db.session.get(User, int(user_id)) if str(user_id).isdigit() else None
    return user if user is not None and user.active else None


def user_by_email(email):
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


class TooManyAttempts(Exception):
    """Too many failed sign-ins for this address lately; said alike for unknown addresses."""


def authenticate(email, password):
    """The active user with these credentials, or None; as slow for unknown accounts.

    After MAX_FAILURES failures for an address within FAILURE_WINDOW, refuse it for a while
    (TooManyAttempts), whether or not an account has that address.
    """
    email = email.strip().lower()
    recent = db.session.scalar(select(func.count(SignInFailure.id)).where(
        SignInFailure.email == email, SignInFailure.at >= utcnow() - FAILURE_WINDOW))
    if recent >= MAX_FAILURES:
        raise TooManyAttempts(email)
    user = user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)  # same cost: the answer time tells nothing
    elif user.check_password(password) and user.active:
        return user
    db.session.add(SignInFailure(email=email[:254]))
    db.session.commit()
    return None


def password_problem(password):
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters"
    return None


def create_user(email, role, password, language="nl", actor=None):
    """A new active account; the caller has checked the email is free."""
    user = User(email=email.strip().lower(), role=str(role), language=language, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user, after=audit.snapshot(user, USER_FIELDS), actor=actor)
    return user


def update_user(user, values, actor=None):
    """Change role, language or active flag; returns whether anything changed."""
    before = audit.snapshot(user, USER_FIELDS)
    for name, value in values.items():
        setattr(user, name, value)
    after = audit.snapshot(user, USER_FIELDS)
    if after == before:
        return False
    audit.record("user.update", user, before=before, after=after, actor=actor)
    return True


def set_password(user, password, actor=None):
    user.set_password(password)
    audit.record("user.password", user, actor=actor)


def is_safe_next(target):
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash trick."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
