"""Signing in: checking a password, throttling guesses, and where to go afterwards."""

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from vscapp.auth.models import SignInFailure
from vscapp.extensions import db
from vscapp.models import utcnow
from vscapp.users.services import user_by_email

_DUMMY_HASH = generate_password_hash("not-a-real-password")
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


def is_safe_next(target):
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash trick."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
