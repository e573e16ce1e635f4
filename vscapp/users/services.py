"""Accounts: the verbs that create and change them (audited; accounts are never deleted)."""

from sqlalchemy import func, select

from vscapp.audit import services as audit
from vscapp.extensions import db
from vscapp.users.models import User

USER_FIELDS = ("email", "role", "language", "active", "alert_delivery")
MIN_PASSWORD_LENGTH = 10


def load_user(user_id):
    """Flask-Login's loader: the active account with this id, or None."""
    user = db.session.get(User, int(user_id)) if str(user_id).isdigit() else None
    return user if user is not None and user.active else None


def user_by_email(email):
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def all_users():
    """Active accounts first, then by address."""
    return db.session.scalars(select(User).order_by(User.active.desc(), User.email)).all()


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
    """Change role, language, alert delivery or active flag; returns whether anything changed."""
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
