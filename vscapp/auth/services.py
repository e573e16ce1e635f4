"""Signing in: a local account's password or the directory's, throttling guesses, and where
to go afterwards.

Who signs in how: an address that belongs to a local account is checked against that
account's password (so local accounts work when the directory is down: break-glass);
anything else, when a directory is configured, is a directory user name.
"""

import hashlib
from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.security import check_password_hash, generate_password_hash

from vscapp.auth import directory, throttle
from vscapp.auth.directory import DirectoryUnavailable
from vscapp.auth.throttle import TooManyAttempts, TooManyFromClient
from vscapp.extensions import db
from vscapp.i18n import current_language
from vscapp.users.services import sync_directory_account, user_by_email

_DUMMY_HASH = generate_password_hash("not-a-real-password")

__all__ = ["DirectoryUnavailable", "NoDirectoryRole", "TooManyAttempts", "TooManyFromClient",
           "authenticate"]


class NoDirectoryRole(Exception):
    """The directory password was right, but the directory puts them in no vscapp group."""


def authenticate(login, password, client_address=None):
    """The active user with these credentials, or None; as slow for unknown accounts.

    `login` is a local account's address or a directory user name. Each try is claimed first
    (vscapp.auth.throttle): after throttle.PER_LOGIN failures for one login, or PER_CLIENT from
    one client address, within throttle.WINDOW, refuse (TooManyAttempts, TooManyFromClient),
    whether or not an account has the login. Raises DirectoryUnavailable and NoDirectoryRole
    too (neither counts as a failure).
    """
    login = login.strip().lower()
    claimed = throttle.attempt(login, client_address)
    try:
        user = _sign_in(login, password)
    except Exception:
        db.session.rollback()
        claimed.give_back()  # not a wrong password: the directory is down, or has no role
        raise
    if user is not None:
        claimed.give_back()  # only failures count
    return user


def _sign_in(login, password):
    user = user_by_email(login)
    if user is not None and not user.from_directory:
        return user if user.check_password(password) and user.active else None
    if directory.configured(current_app.config):
        return _directory_sign_in(login, password)
    check_password_hash(_DUMMY_HASH, password)  # same cost: the answer time tells nothing
    return None


def _directory_sign_in(username, password):
    """The account of a directory user whose password is right, brought in step with the
    directory first; NoDirectoryRole (after deactivating it) if no vscapp group is theirs."""
    config = current_app.config
    found = directory.authenticate(config, username, password)
    if found is None:
        return None
    if not found.email:
        current_app.logger.warning("directory entry %s has no e-mail address: refused", found.dn)
        return None
    role = directory.role_for(config, found.groups)
    user = sync_directory_account(username, found.email, role, current_language())
    db.session.commit()
    if role is None:
        raise NoDirectoryRole(username)
    return user if user is not None and user.active else None


def session_identifier():
    """What Flask-Login's strong session protection compares: the client's address (the
    connection's, or what ProxyFix made of X-Forwarded-For when VSC_PROXY_COUNT says so)
    and its browser."""
    base = f"{request.remote_addr}|{request.headers.get('User-Agent')}"
    return hashlib.sha512(base.encode("utf-8", "replace")).hexdigest()


def is_safe_next(target):
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash trick."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return False  # CR/LF would split the Location header; NUL and the like, nothing good
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
