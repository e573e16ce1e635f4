"""Accounts: the verbs that create and change them (audited; accounts are never deleted)."""

import logging
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from vscapp.audit import services as audit
from vscapp.audit.models import AuditEntry
from vscapp.clock import utcnow
from vscapp.extensions import db
from vscapp.mail import Mailer, MailError
from vscapp.users import messages
from vscapp.users.models import User
from vscapp.vocabulary import DEFAULT_LANGUAGE

USER_FIELDS = ("email", "role", "language", "active", "alert_delivery")
DIRECTORY_FIELDS = (*USER_FIELDS, "directory_username")
# The forgot-password form mails an account at most this often, so nobody can flood an inbox.
RESET_REQUESTS_PER_HOUR = 3
log = logging.getLogger(__name__)


def load_user(session_id):
    """Flask-Login's loader: the active account whose get_id() this is, or None (a session or
    remember-me cookie from before a sign-out, a new password or a deactivation)."""
    user_id, _, token = str(session_id).partition(":")
    if not user_id.isdigit() or len(user_id) > 18 or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(
            user.session_token.encode(), token.encode()):
        return None
    return user


def user_by_email(email):
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def user_by_directory_username(username):
    return db.session.scalar(select(User).where(User.directory_username == username))


def all_users():
    """Active accounts first, then by address."""
    return db.session.scalars(select(User).order_by(User.active.desc(), User.email)).all()


def create_user(email, role, password=None, language=DEFAULT_LANGUAGE, actor=None, *,
                directory_username=None, reason=None):
    """A new active account; the caller has checked the email is free. Without a password
    (the coordinator's accounts, directory accounts) no password works until one is set."""
    user = User(email=email.strip().lower(), role=str(role), language=language, active=True,
                directory_username=directory_username)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    fields = DIRECTORY_FIELDS if directory_username else USER_FIELDS
    # a directory account is made by its owner's first sign-in
    actor = actor or (user if directory_username else None)
    audit.record("user.create", user, after=audit.snapshot(user, fields), actor=actor,
                 reason=reason)
    return user


def update_user(user, values, actor=None, reason=None):
    """Change role, language, alert delivery or active flag; returns whether anything changed."""
    fields = (*USER_FIELDS, *(name for name in values if name not in USER_FIELDS))
    before = audit.snapshot(user, fields)
    for name, value in values.items():
        setattr(user, name, value)
    if before.get("active") and not user.active:
        user.end_sessions()
    after = audit.snapshot(user, fields)
    if after == before:
        return False
    audit.record("user.update", user, before=before, after=after, actor=actor, reason=reason)
    return True


def set_password(user, password, actor=None, via="cli"):
    """A new password (the caller has checked the policy); `via` says how, for the trail."""
    user.set_password(password)
    audit.record("user.password_set", user, after={"via": via}, actor=actor)


def reset_password(user, actor=None):
    """The coordinator's reset: the old password, and every link sent before, stop working."""
    user.set_unusable_password()
    audit.record("user.password_reset", user, actor=actor)


def password_link_message(user, purpose, config, actor=None):
    """The e-mail with a link to choose a password (audited, never the link itself)."""
    audit.record("user.password_reset_requested", user, after={"purpose": purpose},
                 actor=actor)
    return messages.compose_password_link(user, purpose, config)


def answer_forgotten_password(email):
    """The forgot-password form's work, done after its answer (vscapp.background) so that the
    answer takes as long whatever the address: audit and send what the address gets."""
    config = current_app.config
    message = forgotten_password_message(email, config)
    db.session.commit()
    if message is None:
        return
    try:
        with Mailer(config) as mailer:
            mailer.send(message)
    except MailError as exc:
        log.error("forgot-password e-mail not sent: %s", exc)


def forgotten_password_message(email, config):
    """What the forgot-password form sends for this address: a link for an active local
    account, a notice that the directory holds the password for a directory account, nothing
    for an unknown or deactivated address or after RESET_REQUESTS_PER_HOUR requests."""
    user = user_by_email(email)
    if user is None or not user.active or _recent_reset_requests(user) >= RESET_REQUESTS_PER_HOUR:
        return None
    if user.from_directory:
        audit.record("user.password_reset_requested", user, after={"purpose": "directory"},
                     actor=audit.ANONYMOUS_VISITOR)
        return messages.compose_directory_notice(user, config)
    return password_link_message(user, messages.FORGOT, config, actor=audit.ANONYMOUS_VISITOR)


def _recent_reset_requests(user):
    return db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "user.password_reset_requested",
        AuditEntry.entity_type == "User", AuditEntry.entity_id == str(user.id),
        AuditEntry.at >= utcnow() - timedelta(hours=1)))


DIRECTORY_REASON = "directory sign-in"


def sync_directory_account(username, email, role, language=DEFAULT_LANGUAGE):
    """The account of a directory user who has just proved their password, kept in step with
    the directory: created on first sign-in, its address and role updated, deactivated once
    the directory gives it no role (`role` None). The directory never reactivates an account:
    that takes the coordinator. `language` is a new account's (the sign-in page's). None when
    there is no account (and no role to make one) or the address is another directory
    account's."""
    user = user_by_directory_username(username)
    if user is None:
        user = user_by_email(email)
        if user is not None and user.from_directory:
            log.warning("directory user %s has the address of directory user %s: refused",
                        username, user.directory_username)
            return None
        if user is not None:
            _link_to_directory(user, username)
    if user is None:
        return create_user(email, role, language=language, directory_username=username,
                           reason=DIRECTORY_REASON) if role else None
    update_user(user, _directory_changes(user, email, role), actor=user,
                reason=DIRECTORY_REASON)
    return user


def _link_to_directory(user, username):
    """A local account the directory's address matches becomes a directory account: its own
    password stops working, its records stay attributed."""
    user.set_unusable_password()
    update_user(user, {"directory_username": username}, actor=user, reason=DIRECTORY_REASON)


def _directory_changes(user, email, role):
    if role is None:
        return {"active": False}
    changes = {"role": str(role)}
    taken = user_by_email(email)
    if taken is None or taken.id == user.id:
        changes["email"] = email
    return changes
