"""Accounts: who signs in, with which role, language and way of receiving alerts."""

import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from vscapp.extensions import db
from vscapp.models import created_at_column
from vscapp.vocabulary import DEFAULT_LANGUAGE, Delivery


def new_session_token():
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))  # a vocabulary.Role
    language: Mapped[str] = mapped_column(String(2), default=DEFAULT_LANGUAGE)
    alert_delivery: Mapped[str] = mapped_column(String(10), default=Delivery.IMMEDIATE,
                                                server_default=Delivery.IMMEDIATE.value)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()
    # The directory user name of an account that signs in through the directory (its password
    # is the directory's; the local hash is of a random secret nobody knows); None: local.
    directory_username: Mapped[str | None] = mapped_column(String(254), unique=True)
    # The secret every session and remember-me cookie of this account carries (get_id): a
    # new one ends them all at once (sign-out, a new password, deactivation).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    def get_id(self):
        """What Flask-Login keeps in the session and the remember-me cookie: the id and the
        account's session token, so that a new token turns every earlier cookie away."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self):
        """Every session of this account, on every device, ends at its next request."""
        self.session_token = new_session_token()

    @property
    def is_active(self):
        return self.active

    @property
    def from_directory(self):
        return self.directory_username is not None

    def set_password(self, password):
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.end_sessions()  # whoever signed in with the old password is out

    def set_unusable_password(self):
        """No password works: the hash of a random secret that is thrown away at once."""
        self.set_password(secrets.token_urlsafe(32))

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.email} {self.role}>"
