"""Links that let someone set their account's password: single use, valid for 24 hours.

A link carries a token signed with the app's secret key (itsdangerous, under a salt of its
own so no other signed value can pass for one) holding the account's id and a fingerprint of
its current password hash. Setting a password changes the hash, so the link dies once used,
and with it every other link sent before; so does any other password change. Nothing is
stored: no table of tokens to leak or to clean up. The price: a link cannot be revoked alone,
only by changing the account's password hash (the coordinator's reset does that).
"""

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from vscapp.clock import utcnow
from vscapp.extensions import db
from vscapp.users.models import User

SALT = "vscapp.users.password-link"
MAX_AGE = timedelta(hours=24)


def now():
    """Seconds since the epoch on the one clock: links are dated and checked by it (the tests
    shift it)."""
    return utcnow().timestamp()


class _Signer(TimestampSigner):
    def get_timestamp(self):
        return int(now())


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_Signer)


def fingerprint(user):
    """A keyed digest of the password hash: the link shows nothing of the hash itself."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, user.password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def make_token(user):
    return _serializer().dumps({"user": user.id, "fingerprint": fingerprint(user)})


def user_for_token(token):
    """The active local account the token was made for, if it is genuine, younger than
    MAX_AGE and its password has not changed since; else None."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE.total_seconds())
    except BadSignature:  # also an expired one (SignatureExpired)
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.active or user.from_directory:
        return None
    return user if hmac.compare_digest(fingerprint(user), str(data.get("fingerprint"))) else None
