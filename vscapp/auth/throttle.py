"""Throttling password guesses, so that it holds under any number of requests at once.

Each try is claimed before the password is checked, by one UPDATE that adds it only while the
count is under the limit (PostgreSQL locks the row and checks the condition again; SQLite
writes one at a time): of 100 simultaneous guesses at most LIMIT get through to a password
check. A try whose password was right is given back, so the count is of failures. Two
counters per try: the login as typed (a local address or a directory user name, known or not)
and the client's address (request.remote_addr: the connection's, or the one VSC_PROXY_COUNT
lets ProxyFix take from X-Forwarded-For), so that one client cannot lock every account out.
Both are stored as a keyed hash (HMAC with the secret key), and rows whose window began more
than KEEP ago are deleted.
"""

import hashlib
import hmac
from datetime import UTC, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, literal, or_, select, update

from vscapp.auth.models import SignInThrottle
from vscapp.clock import utcnow
from vscapp.extensions import db
from vscapp.models import dialect_insert

PER_LOGIN = 5  # failed sign-ins for one login within WINDOW
PER_CLIENT = 20  # failed sign-ins from one client address within WINDOW, whatever the login
WINDOW = timedelta(minutes=15)
KEEP = timedelta(days=1)
TABLE = SignInThrottle.__table__


class TooManyAttempts(Exception):
    """Too many failed sign-ins for this login lately; said alike for unknown logins."""

    message = _l("Too many failed attempts with this address: try again in 15 minutes.")


class TooManyFromClient(TooManyAttempts):
    """Too many failed sign-ins from this client address lately, whatever the logins."""

    message = _l("Too many failed sign-ins from this computer: try again in 15 minutes.")


def key(kind, value):
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()


def login_key(login):
    return key("login", login.strip().lower()[:254])


def client_key(address):
    return key("client", address or "")


class Attempt:
    """A claimed try: it stays counted (a failure) unless given back."""

    def __init__(self, keys):
        self.keys = keys

    def give_back(self):
        """Not a failure after all: the password was right (or never checked)."""
        for claimed in self.keys:
            _give_back(claimed)
        db.session.commit()


def attempt(login, client_address):
    """Claim one try for this login from this client, committed at once; raises
    TooManyFromClient or TooManyAttempts (nothing claimed) when a limit is reached."""
    now = utcnow()
    client, account = client_key(client_address), login_key(login)
    _purge(now)  # in the same transaction: one write per try, not two
    if not _claim(client, PER_CLIENT, now):
        db.session.commit()
        raise TooManyFromClient(client_address)
    if not _claim(account, PER_LOGIN, now):
        _give_back(client)
        db.session.commit()
        raise TooManyAttempts(login)
    db.session.commit()
    return Attempt((client, account))


def _claim(claimed, limit, now):
    db.session.execute(dialect_insert(TABLE).values(key=claimed, started=now, tries=0)
                       .on_conflict_do_nothing(index_elements=["key"]))
    stale = TABLE.c.started < now - WINDOW
    now = literal(now, TABLE.c.started.type)
    result = db.session.execute(
        update(TABLE).where(TABLE.c.key == claimed, or_(stale, TABLE.c.tries < limit))
        .values(tries=case((stale, 1), else_=TABLE.c.tries + 1),
                started=case((stale, now), else_=TABLE.c.started)))
    return result.rowcount == 1


def _give_back(claimed):
    db.session.execute(update(TABLE).where(TABLE.c.key == claimed, TABLE.c.tries > 0)
                       .values(tries=TABLE.c.tries - 1))


def _purge(now):
    """Forget counts whose window began more than KEEP ago (rows another request holds are
    left for next time: no waiting, no deadlock)."""
    old = select(TABLE.c.key).where(TABLE.c.started < now - KEEP) \
        .with_for_update(skip_locked=True)
    db.session.execute(delete(TABLE).where(TABLE.c.key.in_(old)))


def failures(login=None, client_address=None):
    """The failures counted now for a login or a client address (for tests and support)."""
    claimed = login_key(login) if login is not None else client_key(client_address)
    row = db.session.execute(select(TABLE.c.tries, TABLE.c.started)
                             .where(TABLE.c.key == claimed)).first()
    if row is None:
        return 0
    started = row.started if row.started.tzinfo else row.started.replace(tzinfo=UTC)
    return 0 if started < utcnow() - WINDOW else row.tries
